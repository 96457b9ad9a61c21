using Npgsql;
using Payments.Contracts;

namespace Payments.Audit.IntentTracing;

/// <summary>
/// The SQL the intent checks share: the intents of a ledger with the id each one's outcome must carry, and
/// every outcome row the ledger records. It runs on the server, next to the data, so the checks cost one
/// pass over the log and one over the outcome tables.
/// </summary>
internal static class IntentSql
{
    /// <summary>
    /// CTE <c>intents</c> (seq, event_id, type, releases_expired, intent_id) over the log of the ledger in $1.
    /// Ids the writer derives come precomputed in $6 and $7 (see <see cref="DerivedIds"/>); a payload id that
    /// is not a UUID means the event id, exactly as the writer rejects a malformed intent under its event id.
    /// </summary>
    public const string Intents = """
        kinds as (select * from unnest($2::text[], $3::text[], $5::boolean[]) as k(type, id_field, releases_expired)),
        derived as (select * from unnest($6::uuid[], $7::uuid[]) as d(event_id, intent_id)),
        intents as (
            select e.seq, e.id as event_id, e.type, k.releases_expired,
                   coalesce(d.intent_id,
                            case when e.data ->> k.id_field ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                 then (e.data ->> k.id_field)::uuid else e.id end) as intent_id
            from eventlog.events e join kinds k on k.type = e.type
            left join derived d on d.event_id = e.id
            where e.topic = $4 and e.partition_key = $1)
        """;

    /// <summary>CTE <c>outcomes</c> (kind, id, event_id, seq, by_clock): every row that records what became of an intent.</summary>
    public const string Outcomes = """
        outcomes as (
            select 'transfer' as kind, id, event_id, seq, (kind = 'VOID_PENDING' and expired) as by_clock from ledger.transfers where ledger = $1
            union all select 'rejection', intent_id, event_id, null, false from ledger.rejections where ledger = $1
            union all select 'account', id, opened_by_event, null, false from ledger.accounts where ledger = $1
            union all select 'status change', change_id, event_id, null, false from ledger.account_events where ledger = $1
            union all select 'clock tick', event_id, event_id, null, false from ledger.clock_ticks where ledger = $1)
        """;

    /// <summary>
    /// A command over <paramref name="sql"/> with $1 to $7 bound: the ledger, the intent types (names, id
    /// fields, expiry flags), the intents topic and the derived ids.
    /// </summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string ledger, DerivedIds derived)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in new object[]
                 {
                     ledger,
                     IntentTypes.All.Select(t => t.EventType).ToArray(),
                     IntentTypes.All.Select(t => t.OutcomeIdJsonField).ToArray(),
                     EventTopics.Payments,
                     IntentTypes.All.Select(t => t.ReleasesExpiredHolds).ToArray(),
                     derived.EventIds,
                     derived.IntentIds,
                 })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
