using Npgsql;
using Payments.Contracts;
using Payments.EventBus;

namespace Payments.Api.Storage;

/// <summary>
/// Reads the ledger's outcome events in log order. The offsets are gapless, so a page is bounded on both
/// sides, which keeps its cost to one page whatever the table's statistics (see PostgresEventLog).
/// </summary>
internal static class PostgresOutcomes
{
    public static async Task<List<(long Offset, EventEnvelope Outcome)>> ReadAsync(
        NpgsqlDataSource dataSource, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            select seq, id, type, source, subject, partition_key, time, traceparent, data::text
            from eventlog.events where topic = '{EventTopics.Ledger}' and seq > $1 and seq <= $1 + $2 order by seq limit $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var page = new List<(long, EventEnvelope)>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add((reader.GetInt64(0), new EventEnvelope(reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8))));
        }

        return page;
    }
}
