using Npgsql;
using NpgsqlTypes;

namespace Payments.EventBus.Postgres;

/// <summary>Reads and appends the <c>eventlog.events</c> table.</summary>
internal static class PostgresEventLog
{
    /// <summary>An event and its offset in its topic.</summary>
    internal readonly record struct StoredEvent(long Offset, EventEnvelope Envelope);

    /// <summary>
    /// Appends within <paramref name="connection"/>'s current transaction, if any; returns the ids that
    /// were new to the topic (a re-published id is skipped and not returned).
    /// </summary>
    public static async Task<Guid[]> AppendAsync(
        NpgsqlConnection connection, string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            "select eventlog.append($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = topic });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Source).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Subject).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.PartitionKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Time.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.TraceParent).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = events.Select(e => e.Data).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        return (Guid[])(await command.ExecuteScalarAsync(cancellationToken))!;
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
