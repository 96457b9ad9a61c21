using Npgsql;
using Payments.Contracts;

namespace Payments.Audit.Checks;

/// <summary>How far the ledger's writer has consumed the intents topic: what the log checks may hold it to.</summary>
internal static class WriterProgress
{
    /// <summary>The writer's committed offset, as the transaction of <paramref name="connection"/> sees it.</summary>
    public static async Task<long> ConsumedOffsetAsync(NpgsqlConnection connection, string ledger, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select coalesce((select "offset" from eventlog.consumer_offsets where consumer = $1 and topic = $2), 0)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Ledger.Writer.LedgerWriterService.ConsumerName(ledger) });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
