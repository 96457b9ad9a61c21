using Npgsql;
using Payments.Contracts;

namespace Payments.Audit.Checks;

/// <summary>How far the ledger's writer has consumed the intents topic: what the log checks may hold it to.</summary>
internal static class WriterProgress
{
    /// <summary>
    /// The last log offset the writer has certainly consumed, as the transaction of <paramref name="connection"/>
    /// sees it: the offset the writer commits with its rows, under either transport (under Dapr, the log
    /// offset of the last intent delivered, ADR 0021). A writer that has recorded none, such as one on Dapr
    /// before it recorded offsets, counts an intent as delivered once it is older than
    /// <paramref name="deliveredBefore"/>: reading 0 instead would leave every intent "in flight" and the
    /// checks that depend on it empty.
    /// </summary>
    public static async Task<long> ConsumedOffsetAsync(
        NpgsqlConnection connection, string ledger, DateTimeOffset deliveredBefore, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select coalesce(
                (select "offset" from eventlog.consumer_offsets where consumer = $1 and topic = $2),
                (select max(seq) from eventlog.events where topic = $2 and time < $3),
                0)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Ledger.Writer.LedgerWriterService.ConsumerName(ledger) });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveredBefore.ToUniversalTime() });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
