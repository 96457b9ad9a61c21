using Npgsql;
using Payments.Audit.IntentTracing;

namespace Payments.Audit.Checks;

/// <summary>
/// Every ledger row that records an outcome traces back to the intent that caused it: its causing event is
/// in the log, on this ledger's partition, and carries the outcome's own id; a row caused by a clock tick is
/// an expiry release. A transfer inserted by hand, even one hashed into the chain correctly, fails here.
/// </summary>
internal static class OutcomesHaveIntentsCheck
{
    private const string Name = "outcomes-have-intents";
    private const string Title = "Every ledger transfer, account, status change and rejection traces back to its event.";

    public static async Task<CheckResult> RunAsync(NpgsqlDataSource dataSource, string ledger, CancellationToken cancellationToken)
    {
        var findings = new Findings(Name, Title);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = IntentSql.Command(connection, $"""
            with {IntentSql.Intents}, {IntentSql.Outcomes}
            select o.kind, o.id, o.seq, o.event_id, i.seq, i.has_outcome, i.intent_id
            from outcomes o left join intents i on i.event_id = o.event_id
            where i.event_id is null
               or (i.has_outcome and i.intent_id <> o.id)
               or (not i.has_outcome and not o.by_clock)
            order by o.seq nulls last, o.kind, o.id
            """, ledger);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            findings.Add(Where(reader), Problem(reader));
        }

        return findings.ToResult("Transfers, accounts, status changes and rejections traced to their causing events.");
    }

    private static string Where(NpgsqlDataReader reader) =>
        reader.IsDBNull(2) ? $"{reader.GetString(0)} {reader.GetGuid(1)}" : $"seq {reader.GetInt64(2)} ({reader.GetString(0)} {reader.GetGuid(1)})";

    private static string Problem(NpgsqlDataReader reader) =>
        reader.IsDBNull(4) ? $"its causing event {reader.GetGuid(3)} is not an intent of this ledger in the log"
        : reader.GetBoolean(5) ? $"its causing event (log offset {reader.GetInt64(4)}) carries intent {reader.GetGuid(6)}, not this one"
        : $"its causing event (log offset {reader.GetInt64(4)}) is a clock tick, but it is not an expiry release";
}
