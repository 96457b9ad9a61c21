using Npgsql;
using Payments.Contracts;

namespace Payments.Audit.IntentTracing;

/// <summary>
/// The SQL both intent checks share: the intents of a ledger with the id each one's outcome must carry, and
/// every outcome row the ledger records. It runs on the server, next to the data, so the checks cost one
/// pass over the log and one over the outcome tables.
/// </summary>
internal static class IntentSql
{
    /// <summary>
    /// CTE <c>intents</c> (seq, event_id, type, has_outcome, intent_id) over the log of the ledger in $1. The
    /// intent id falls back to the event id when the payload's id is not a UUID, exactly as the writer
    /// rejects a malformed intent under its event id.
    /// </summary>
    public const string Intents = """
        kinds as (select * from unnest($2::text[], $3::text[]) as k(type, id_field)),
        intents as (
            select e.seq, e.id as event_id, e.type, k.id_field is not null as has_outcome,
                   case when e.data ->> k.id_field ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                        then (e.data ->> k.id_field)::uuid else e.id end as intent_id
            from eventlog.events e join kinds k on k.type = e.type
            where e.topic = $4 and e.partition_key = $1)
        """;

    /// <summary>CTE <c>outcomes</c> (kind, id, event_id, seq, by_clock): every row that records what became of an intent.</summary>
    public const string Outcomes = """
        outcomes as (
            select 'transfer' as kind, id, event_id, seq, (kind = 'VOID_PENDING' and expired) as by_clock from ledger.transfers where ledger = $1
            union all select 'rejection', intent_id, event_id, null, false from ledger.rejections where ledger = $1
            union all select 'account', id, opened_by_event, null, false from ledger.accounts where ledger = $1
            union all select 'status change', change_id, event_id, null, false from ledger.account_events where ledger = $1)
        """;

    /// <summary>A command over <paramref name="sql"/> with the ledger, the intent types and the intents topic bound as $1 to $4.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string ledger)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = IntentTypes.All.Select(t => t.EventType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = IntentTypes.All.Select(t => t.OutcomeIdJsonField).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        return command;
    }
}
