using Npgsql;
using Payments.Audit.IntentTracing;
using Payments.Contracts;

namespace Payments.Audit.Checks;

/// <summary>
/// Every intent the ledger writer has consumed has exactly one outcome: a transfer, an account, a status
/// change or a rejection under its id. Intents past the writer's offset are still in flight and only counted.
/// The offset and the outcomes are read in one snapshot, since the writer commits them together.
/// </summary>
internal static class IntentsHaveOutcomesCheck
{
    private const string Name = "intents-have-outcomes";
    private const string Title = "Every intent in the event log has exactly one outcome in the ledger.";

    public static async Task<CheckResult> RunAsync(NpgsqlDataSource dataSource, string ledger, CancellationToken cancellationToken)
    {
        var findings = new Findings(Name, Title);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var consumed = await ConsumedOffsetAsync(connection, ledger, cancellationToken);
        await using var command = IntentSql.Command(connection, $"""
            with {IntentSql.Intents}, {IntentSql.Outcomes},
            firsts as (select intent_id, min(seq) as seq, min(type) as type from intents
                       where has_outcome and seq <= $5 group by intent_id),
            counted as (select id, count(*) as n, string_agg(kind, ', ' order by kind) as kinds from outcomes group by id)
            select f.intent_id, f.seq, f.type, coalesce(c.n, 0), c.kinds
            from firsts f left join counted c on c.id = f.intent_id
            where coalesce(c.n, 0) <> 1
            order by f.seq
            """, ledger);
        command.Parameters.Add(new NpgsqlParameter { Value = consumed });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var outcomes = reader.GetInt64(3);
                findings.Add($"intent {reader.GetGuid(0)} (log offset {reader.GetInt64(1)}, {reader.GetString(2)})",
                    outcomes == 0 ? "has no outcome in the ledger" : $"has {outcomes} outcomes: {reader.GetString(4)}");
            }
        }

        var inFlight = await InFlightAsync(connection, ledger, consumed, cancellationToken);
        return findings.ToResult($"Intents up to log offset {consumed} (the writer's) checked; {inFlight:N0} later ones are still in flight.");
    }

    private static async Task<long> ConsumedOffsetAsync(NpgsqlConnection connection, string ledger, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select coalesce((select "offset" from eventlog.consumer_offsets where consumer = $1 and topic = $2), 0)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Ledger.Writer.LedgerWriterService.ConsumerName(ledger) });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<long> InFlightAsync(NpgsqlConnection connection, string ledger, long consumed, CancellationToken cancellationToken)
    {
        await using var command = IntentSql.Command(connection, $"with {IntentSql.Intents} select count(*) from intents where seq > $5", ledger);
        command.Parameters.Add(new NpgsqlParameter { Value = consumed });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
