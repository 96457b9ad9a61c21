using Npgsql;
using Payments.Contracts;

namespace Payments.Audit.IntentTracing;

/// <summary>
/// The SQL of the intent checks. The heavy part runs on the server, next to the data, as one hash join of
/// the log's intents with the ledger's outcome rows on the event id; it sends back only the pairs that do
/// not match at a glance, so the client decides about a handful of rows instead of every intent.
/// Every command binds $1 the ledger, $2 the intent types, $3 their payload id fields, $4 the intents
/// topic and $5 whether the type's outcome id is derived; further parameters follow from $6.
/// </summary>
internal static class IntentSql
{
    /// <summary>
    /// For the transaction the checks run in: JIT compilation costs more than these one-pass joins gain from
    /// it (over a second for 200,000 intents, measured), the join's hash table must fit in memory, and
    /// parallel workers only add start-up work while the scan keeps the cores busy (counting shared ids
    /// took twice the CPU with them).
    /// </summary>
    public const string SessionSettings = "set local jit = off; set local work_mem = '64MB'; set local max_parallel_workers_per_gather = 0";

    /// <summary>
    /// Every intent event of the ledger paired with every outcome row recorded under its event id (either
    /// side may be missing), except the pairs that match at a glance: the outcome's id is the payload's id
    /// in the canonical text form the producers write, or the event's own id for a type that names none.
    /// Whatever is left (outcomes without their event, intents without an outcome under their event,
    /// ids in another spelling, derived ids, expiry releases) is decided by <see cref="IntentMatcher"/>.
    /// Columns: see <see cref="IntentReads"/>.
    /// </summary>
    public const string Unmatched = $"""
        with {Intents}, {Outcomes}
        select i.seq, i.event_id, i.type, i.payload_id, o.kind, o.id, o.event_id, o.seq, o.by_clock
        from intents i full join outcomes o on o.event_id = i.event_id
        where i.event_id is null or o.id is null or i.derived
           or (case when i.under_event_id then o.id = i.event_id else o.id::text = i.payload_id end) is not true
        """;

    /// <summary>
    /// Ids that more than one outcome row is recorded under, by counting every row of the five tables: the
    /// fallback when <see cref="UncheckedOutcomeTables"/> finds a table whose ids no unique index guards.
    /// </summary>
    public const string SharedOutcomeIdsRecounted = $"""
        with {Outcomes}
        select id from outcomes group by id having count(*) > 1
        """;

    /// <summary>
    /// Ids that more than one outcome row is recorded under, given that no table repeats an id of its own
    /// (each table's unique index, checked by <see cref="UncheckedOutcomeTables"/>): ids the small tables
    /// share among themselves or with a transfer. Transfers, by far the most rows, are only probed, not counted.
    /// </summary>
    public const string SharedOutcomeIds = """
        with others as (
            select intent_id as id from ledger.rejections where ledger = $1
            union all select id from ledger.accounts where ledger = $1
            union all select change_id from ledger.account_events where ledger = $1
            union all select event_id from ledger.clock_ticks where ledger = $1)
        select id from others group by id having count(*) > 1
        union
        select o.id from others o join ledger.transfers t on t.id = o.id and t.ledger = $1
        """;

    /// <summary>
    /// The outcome tables whose id column has no valid, live, unique index of its own (over that column alone,
    /// without a predicate): for those, a repeated id is possible and <see cref="SharedOutcomeIdsRecounted"/> must run.
    /// </summary>
    public const string UncheckedOutcomeTables = """
        select t.name
        from unnest(array['ledger.transfers', 'ledger.rejections', 'ledger.accounts', 'ledger.account_events', 'ledger.clock_ticks'],
                    array['id', 'intent_id', 'id', 'change_id', 'event_id']) as t(name, id_column)
        where not exists (
            select 1
            from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
            where i.indrelid = t.name::regclass and a.attname = t.id_column
              and i.indisunique and i.indisvalid and i.indisready and i.indislive and i.indimmediate
              and i.indnkeyatts = 1 and i.indpred is null and i.indexprs is null)
        """;

    /// <summary>Every outcome row recorded under one of the ids in $6, with its causing event when that is an intent of the ledger.</summary>
    public const string OutcomesWithIds = $"""
        with {Kinds}, {Outcomes}
        select e.seq, e.id, e.type, e.data ->> k.id_field, o.kind, o.id, o.event_id, o.seq, o.by_clock
        from outcomes o
        left join (eventlog.events e join kinds k on k.type = e.type) on e.topic = $4 and e.partition_key = $1 and e.id = o.event_id
        where o.id = any($6)
        """;

    /// <summary>How many intents the writer has not consumed yet: those after the offset in $6.</summary>
    public const string InFlight = "select count(*) from eventlog.events where topic = $4 and partition_key = $1 and type = any($2) and seq > $6";

    private const string Kinds = "kinds as (select * from unnest($2::text[], $3::text[], $5::boolean[]) as k(type, id_field, derived))";

    // The offset fence makes the payload's id be read before the join, so the hash table holds ids, not payloads.
    private const string Intents = $"""
        {Kinds},
        intents as (
            select e.seq, e.id as event_id, e.type, k.id_field is null as under_event_id, k.derived, e.data ->> k.id_field as payload_id
            from eventlog.events e join kinds k on k.type = e.type
            where e.topic = $4 and e.partition_key = $1
            offset 0)
        """;

    // Every row that records what became of an intent, with its id and causing event.
    private const string Outcomes = """
        outcomes as (
            select 'transfer' as kind, id, event_id, seq, (kind = 'VOID_PENDING' and expired) as by_clock from ledger.transfers where ledger = $1
            union all select 'rejection', intent_id, event_id, null, false from ledger.rejections where ledger = $1
            union all select 'account', id, opened_by_event, null, false from ledger.accounts where ledger = $1
            union all select 'status change', change_id, event_id, null, false from ledger.account_events where ledger = $1
            union all select 'clock tick', event_id, event_id, null, false from ledger.clock_ticks where ledger = $1)
        """;

    /// <summary>A command over <paramref name="sql"/> with $1 to $5 bound and <paramref name="more"/> from $6 on.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string ledger, params object[] more)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in new object[]
                 {
                     ledger,
                     IntentTypes.All.Select(t => t.EventType).ToArray(),
                     IntentTypes.All.Select(t => t.OutcomeIdJsonField).ToArray(),
                     EventTopics.Payments,
                     IntentTypes.All.Select(t => t.DeriveOutcomeId is not null).ToArray(),
                 }.Concat(more))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
