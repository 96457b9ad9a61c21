using Npgsql;
using NpgsqlTypes;
using Payments.Postgres;

namespace Payments.EventBus.Postgres;

/// <summary>
/// Appends to <c>eventlog.events</c> inside the caller's transaction. A transaction-scoped advisory lock
/// serializes the appenders of a topic until they commit, which is what makes seq gapless AND visible in
/// order: a reader that sees seq n can already see every seq below n. Ids the topic already holds are
/// skipped (the first of several under one id wins), so a re-publish is a no-op, and the topic's channel
/// is notified at commit.
/// </summary>
/// <remarks>
/// Two ways with that one contract: a few events go in one round trip, bound as arrays and inserted
/// set-wise; many go by binary COPY, which costs a fraction of binding thousands of rows as arrays but
/// takes three round trips. A caller whose ids are new by construction says so
/// (<see cref="Repeats.Refuse"/>): then nothing looks for them first, and the unique index on
/// (topic, id) refuses a repeat with the transaction.
/// </remarks>
internal static class PostgresEventAppender
{
    /// <summary>From this many events on, COPY is cheaper than one statement over arrays.</summary>
    public const int CopyFromEvents = 128;

    private const string Lock = "select pg_advisory_xact_lock(hashtextextended('eventlog.append:' || $1, 0))";

    // Delivered only at commit; the payload is not used, a listener simply reads on from its offset. A
    // re-publish that adds nothing costs a listener one empty read.
    private const string Notify = "select pg_notify('eventlog_' || $1, '')";

    /// <summary>What becomes of an event whose id the topic already holds.</summary>
    public enum Repeats
    {
        /// <summary>It is skipped: a re-publish is a no-op.</summary>
        Skip,

        /// <summary>
        /// It fails the transaction. For callers whose ids are new by construction: not looking for them
        /// saves an index probe per event (a sixth of the ledger writer's batch).
        /// </summary>
        Refuse,
    }

    /// <summary>Appends <paramref name="events"/> to <paramref name="topic"/>; returns the ids that were new to it.</summary>
    public static async Task<Guid[]> AppendAsync(
        NpgsqlConnection connection, string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken,
        Repeats repeats = Repeats.Skip)
    {
        if (events.Count == 0)
        {
            return [];
        }

        return events.Count < CopyFromEvents
            ? await InsertAsync(connection, topic, events, repeats, cancellationToken)
            : await CopyAsync(connection, topic, events, repeats, cancellationToken);
    }

    private static async Task<Guid[]> InsertAsync(
        NpgsqlConnection connection, string topic, IReadOnlyList<EventEnvelope> events, Repeats repeats, CancellationToken cancellationToken)
    {
        var fresh = repeats == Repeats.Skip
            ? """
              select distinct on (i.id) i.*
                  from incoming i
                  where not exists (select 1 from eventlog.events e where e.topic = $1 and e.id = i.id)
                  order by i.id, i.ord
              """
            : "select * from incoming";
        var insert = Command($"""
            with incoming as (
                select * from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::jsonb[])
                    with ordinality as n(id, type, source, subject, partition_key, time, traceparent, data, ord)
            ), fresh as (
                {fresh}
            ), head as (
                select coalesce(max(seq), 0) as seq from eventlog.events where topic = $1
            )
            insert into eventlog.events (topic, seq, id, type, source, subject, partition_key, time, traceparent, data)
            select $1, head.seq + row_number() over (order by f.ord), f.id, f.type, f.source, f.subject,
                   f.partition_key, f.time, f.traceparent, f.data
            from fresh f cross join head
            returning id
            """, topic);
        insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Id).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Type).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Source).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Subject).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.PartitionKey).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Time.ToUniversalTime()).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.TraceParent).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter
        {
            Value = events.Select(e => e.Data).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });

        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { Command(Lock, topic), insert, Command(Notify, topic) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var appended = new List<Guid>(events.Count);
        while (await reader.ReadAsync(cancellationToken))
        {
            appended.Add(reader.GetGuid(0));
        }

        return [.. appended];
    }

    private static async Task<Guid[]> CopyAsync(
        NpgsqlConnection connection, string topic, IReadOnlyList<EventEnvelope> events, Repeats repeats, CancellationToken cancellationToken)
    {
        var (head, present) = await LockAndReadHeadAsync(connection, topic, repeats == Repeats.Skip ? events : [], cancellationToken);
        var fresh = repeats == Repeats.Skip ? events.Where(e => present.Add(e.Id)).ToList() : [.. events];
        if (fresh.Count == 0)
        {
            return [];
        }

        var copy = new BinaryCopy();
        var seq = head;
        foreach (var e in fresh)
        {
            copy.StartRow(10);
            copy.Text(topic);
            copy.Int64(++seq);
            copy.Uuid(e.Id);
            copy.Text(e.Type);
            copy.Text(e.Source);
            copy.Text(e.Subject);
            copy.Text(e.PartitionKey);
            copy.TimestampTz(e.Time);
            copy.Text(e.TraceParent);
            copy.Jsonb(e.Data);
        }

        await copy.SendAsync(connection, """
            copy eventlog.events (topic, seq, id, type, source, subject, partition_key, time, traceparent, data)
            from stdin (format binary)
            """, cancellationToken);
        return fresh.ConvertAll(e => e.Id).ToArray();
    }

    // One round trip: the lock, the head under it, which of the ids of lookFor the topic already holds
    // (an empty list costs nothing), and the notification the commit will send.
    private static async Task<(long Head, HashSet<Guid> Present)> LockAndReadHeadAsync(
        NpgsqlConnection connection, string topic, IReadOnlyList<EventEnvelope> lookFor, CancellationToken cancellationToken)
    {
        var present = Command("select id from eventlog.events where topic = $1 and id = any($2)", topic);
        present.Parameters.Add(new NpgsqlParameter { Value = lookFor.Select(e => e.Id).ToArray() });
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(Lock, topic),
                Command("select coalesce(max(seq), 0) from eventlog.events where topic = $1", topic),
                present,
                Command(Notify, topic),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var head = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return (head, ids);
    }

    private static NpgsqlBatchCommand Command(string sql, string topic) =>
        new(sql) { Parameters = { new NpgsqlParameter { Value = topic } } };
}
