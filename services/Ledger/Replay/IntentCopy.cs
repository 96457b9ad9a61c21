using Npgsql;
using Payments.Contracts;
using Payments.EventBus.Postgres;

namespace Payments.Ledger.Replay;

/// <summary>
/// Copies the intents topic of the live log, up to an offset, into the empty log of the rebuild. Offsets
/// are gapless from 1 in both logs, so every intent keeps its offset; a gap means intents were removed
/// from the live log, and replaying around it would let the rebuild tell another story than the ledger's.
/// </summary>
internal static class IntentCopy
{
    private const int PageSize = 2000;

    /// <summary>
    /// Copies the offsets after <paramref name="afterOffset"/>, which the rebuild's log already holds, up to
    /// <paramref name="throughOffset"/>; returns what is missing from them, or null.
    /// </summary>
    public static async Task<string?> CopyAsync(
        NpgsqlDataSource source, NpgsqlDataSource target, long afterOffset, long throughOffset, CancellationToken cancellationToken)
    {
        var publisher = new PostgresEventPublisher(target);
        var copied = afterOffset;
        while (copied < throughOffset)
        {
            var page = await PostgresEventLog.ReadAsync(source, EventTopics.Payments, copied, PageSize, cancellationToken);
            page.RemoveAll(e => e.Offset > throughOffset);
            // The read asks for the offsets right after the copied ones, so a page that is short of them,
            // or does not start with the next one, has a hole where the missing intents were.
            if (page.Count == 0 || page[0].Offset != copied + 1)
            {
                var next = page.Count > 0 ? page[0].Offset : await NextOffsetAsync(source, copied, cancellationToken) ?? throughOffset + 1;
                return $"the log misses the intents at offsets {copied + 1} to {Math.Min(next, throughOffset + 1) - 1}";
            }

            var contiguous = page.TakeWhile((e, i) => e.Offset == copied + 1 + i).ToList();
            await publisher.PublishAsync(EventTopics.Payments, contiguous.ConvertAll(e => e.Envelope), cancellationToken);
            copied = contiguous[^1].Offset;
        }

        return null;
    }

    private static async Task<long?> NextOffsetAsync(NpgsqlDataSource source, long after, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("select min(seq) from eventlog.events where topic = $1 and seq > $2");
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }
}
