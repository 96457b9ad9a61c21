using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Payments.EventBus.Postgres;

/// <summary>Reads and appends the <c>eventlog.events</c> table.</summary>
internal static class PostgresEventLog
{
    /// <summary>An event and its offset in its topic.</summary>
    internal readonly record struct StoredEvent(long Offset, EventEnvelope Envelope);

    /// <summary>
    /// Appends within <paramref name="connection"/>'s current transaction, which the caller must have begun;
    /// returns the ids that were new to the topic (a re-published id is skipped and not returned).
    /// </summary>
    /// <remarks>
    /// The same contract as the <c>eventlog.append</c> function (same lock, gapless numbering, skipped
    /// repeats, notification), but the rows travel by binary COPY: for a batch of thousands that costs a
    /// fraction of binding them as arrays and unnesting them on the server.
    /// </remarks>
    public static async Task<Guid[]> AppendAsync(
        NpgsqlConnection connection, string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var (head, present) = await LockTopicAsync(connection, topic, events, cancellationToken);

        // The first of several events under one id wins, as with any re-publish.
        var fresh = events.Where(e => present.Add(e.Id)).ToList();
        if (fresh.Count == 0)
        {
            return [];
        }

        await CopyAsync(connection, topic, head, fresh, cancellationToken);
        await using var notify = new NpgsqlCommand("select pg_notify($1, $2)", connection);
        notify.Parameters.Add(new NpgsqlParameter { Value = EventLogSchema.ChannelOf(topic) });
        notify.Parameters.Add(new NpgsqlParameter { Value = (head + fresh.Count).ToString(CultureInfo.InvariantCulture) });
        await notify.ExecuteNonQueryAsync(cancellationToken);
        return fresh.ConvertAll(e => e.Id).ToArray();
    }

    // The transaction-scoped advisory lock serializes the topic's appenders until they commit, which is
    // what makes seq gapless AND visible in order: a reader that sees seq n can already see every seq
    // below n. Under the lock, reads the head and which of the ids the topic already holds.
    private static async Task<(long Head, HashSet<Guid> Present)> LockTopicAsync(
        NpgsqlConnection connection, string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended('eventlog.append:' || $1, 0))")
                {
                    Parameters = { new NpgsqlParameter { Value = topic } },
                },
                new NpgsqlBatchCommand("select coalesce(max(seq), 0) from eventlog.events where topic = $1")
                {
                    Parameters = { new NpgsqlParameter { Value = topic } },
                },
                new NpgsqlBatchCommand("select id from eventlog.events where topic = $1 and id = any($2)")
                {
                    Parameters = { new NpgsqlParameter { Value = topic }, new NpgsqlParameter { Value = events.Select(e => e.Id).ToArray() } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var head = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var present = new HashSet<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            present.Add(reader.GetGuid(0));
        }

        return (head, present);
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, string topic, long head, List<EventEnvelope> events, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync("""
            copy eventlog.events (topic, seq, id, type, source, subject, partition_key, time, traceparent, data)
            from stdin (format binary)
            """, cancellationToken);
        var seq = head;
        foreach (var e in events)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(topic, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(++seq, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(e.Type, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(e.Source, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(e.Subject, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(e.PartitionKey, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(e.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            if (e.TraceParent is null)
            {
                await copy.WriteNullAsync(cancellationToken);
            }
            else
            {
                await copy.WriteAsync(e.TraceParent, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.WriteAsync(e.Data, NpgsqlDbType.Jsonb, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>Reads up to <paramref name="limit"/> events of <paramref name="topic"/> after <paramref name="afterOffset"/>.</summary>
    public static async Task<List<StoredEvent>> ReadAsync(
        NpgsqlDataSource dataSource, string topic, long afterOffset, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select seq, id, type, source, subject, partition_key, time, traceparent, data::text
            from eventlog.events
            where topic = $1 and seq > $2
            order by seq
            limit $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = topic });
        command.Parameters.Add(new NpgsqlParameter { Value = afterOffset });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });

        var events = new List<StoredEvent>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var envelope = new EventEnvelope(
                Id: reader.GetGuid(1),
                Type: reader.GetString(2),
                Source: reader.GetString(3),
                Subject: reader.GetString(4),
                PartitionKey: reader.GetString(5),
                Time: reader.GetFieldValue<DateTimeOffset>(6),
                TraceParent: reader.IsDBNull(7) ? null : reader.GetString(7),
                Data: reader.GetString(8));
            events.Add(new StoredEvent(reader.GetInt64(0), envelope));
        }

        return events;
    }
}
