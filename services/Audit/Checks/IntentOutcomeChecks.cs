using Npgsql;
using Payments.Audit.IntentTracing;
using Payments.Contracts;

namespace Payments.Audit.Checks;

/// <summary>
/// Two checks answered by one query, so the log's intents are decoded once:
/// <list type="bullet">
/// <item>every intent the writer has consumed has exactly one outcome (a transfer, an account, a status change,
/// a rejection or a clock tick's record under its id); intents past the writer's offset are still in flight
/// and only counted;</item>
/// <item>every outcome row traces back to its cause: the causing event is in the log, on this ledger's
/// partition, and carries the outcome's own id, or is a clock tick and the row an expiry release. A transfer
/// inserted by hand, even one hashed into the chain correctly, fails here.</item>
/// </list>
/// The writer's offset and the rows are read in one snapshot, since the writer commits them together.
/// </summary>
internal static class IntentOutcomeChecks
{
    private const string IntentsName = "intents-have-outcomes";
    private const string IntentsTitle = "Every intent in the event log has exactly one outcome in the ledger.";
    private const string OutcomesName = "outcomes-have-intents";
    private const string OutcomesTitle = "Every ledger transfer, account, status change, rejection and clock tick record traces back to its event.";

    private static readonly string Query = $"""
        with {IntentSql.Intents}, {IntentSql.Outcomes},
        firsts as (select intent_id, min(seq) as seq, min(type) as type from intents
                   where seq <= $8 group by intent_id),
        counted as (select id, count(*) as n, min(kind) as first_kind, max(kind) as last_kind from outcomes group by id)
        select 'intent' as side, f.seq, f.intent_id, f.type, coalesce(c.n, 0), c.first_kind, c.last_kind,
               null::uuid, null::bigint, null::boolean, null::uuid
        from firsts f left join counted c on c.id = f.intent_id
        where coalesce(c.n, 0) <> 1
        union all
        select 'outcome', o.seq, o.id, o.kind, null, null, null, o.event_id, i.seq, i.releases_expired, i.intent_id
        from outcomes o left join intents i on i.event_id = o.event_id
        where i.event_id is null
           or (i.intent_id <> o.id and not (i.releases_expired and o.by_clock))
        union all
        select 'in flight', count(*), null, null, null, null, null, null, null, null, null from intents where seq > $8
        order by 1, 2 nulls last, 4, 3
        """;

    /// <summary>Both verdicts: intents with their outcomes, and outcomes with their intents.</summary>
    public static async Task<(CheckResult IntentsHaveOutcomes, CheckResult OutcomesHaveIntents)> RunAsync(
        NpgsqlDataSource dataSource, string ledger, CancellationToken cancellationToken)
    {
        var intents = new Findings(IntentsName, IntentsTitle);
        var outcomes = new Findings(OutcomesName, OutcomesTitle);
        long inFlight = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var consumed = await ConsumedOffsetAsync(connection, ledger, cancellationToken);
        var derived = await DerivedIds.ReadAsync(connection, ledger, cancellationToken);
        await using var command = IntentSql.Command(connection, Query, ledger, derived);
        command.Parameters.Add(new NpgsqlParameter { Value = consumed });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            switch (reader.GetString(0))
            {
                case "intent": intents.Add(IntentWhere(reader), IntentProblem(reader)); break;
                case "outcome": outcomes.Add(OutcomeWhere(reader), OutcomeProblem(reader)); break;
                default: inFlight = reader.GetInt64(1); break;
            }
        }

        return (intents.ToResult($"Intents up to log offset {consumed} (the writer's) checked; {inFlight:N0} later ones are still in flight."),
            outcomes.ToResult("Transfers, accounts, status changes, rejections and clock tick records traced to their causing events."));
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

    private static string IntentWhere(NpgsqlDataReader reader) =>
        $"intent {reader.GetGuid(2)} (log offset {reader.GetInt64(1)}, {reader.GetString(3)})";

    private static string IntentProblem(NpgsqlDataReader reader) => reader.GetInt64(4) switch
    {
        0 => "has no outcome in the ledger",
        2 => $"has 2 outcomes: {reader.GetString(5)}, {reader.GetString(6)}",
        var n => $"has {n} outcomes, from {reader.GetString(5)} to {reader.GetString(6)}",
    };

    private static string OutcomeWhere(NpgsqlDataReader reader) =>
        reader.IsDBNull(1) ? $"{reader.GetString(3)} {reader.GetGuid(2)}" : $"seq {reader.GetInt64(1)} ({reader.GetString(3)} {reader.GetGuid(2)})";

    private static string OutcomeProblem(NpgsqlDataReader reader) =>
        reader.IsDBNull(8) ? $"its causing event {reader.GetGuid(7)} is not an intent of this ledger in the log"
        : $"its causing event (log offset {reader.GetInt64(8)}) carries intent {reader.GetGuid(10)}, not this one" +
            (reader.GetBoolean(9) ? ", and it is not an expiry release" : "");
}
