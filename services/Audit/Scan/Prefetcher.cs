using System.Collections.Concurrent;

namespace Payments.Audit.Scan;

/// <summary>
/// Reads a stream on a thread of its own, a bounded number of batches ahead of its consumer, so decoding
/// rows from one connection overlaps with decoding the other and with checking.
/// </summary>
internal sealed class Prefetcher<T> : IDisposable
    where T : class
{
    private const int BatchSize = 1024;
    private const int BatchesAheadMax = 8;
    private readonly BlockingCollection<T[]> batches = new(BatchesAheadMax);
    private readonly CancellationToken cancellationToken;
    private T[] current = [];
    private int index;

    /// <param name="next">Returns the next item, or null at the end; called on the prefetching thread only.</param>
    /// <param name="cancellationToken">Stops the reading, for instance when the consumer failed.</param>
    public Prefetcher(Func<T?> next, CancellationToken cancellationToken)
    {
        this.cancellationToken = cancellationToken;
        Reading = Task.Run(() => Fill(next), CancellationToken.None);
    }

    /// <summary>Completes when the stream is read to its end; faults with the reader's exception.</summary>
    public Task Reading { get; }

    /// <summary>The next item, or null once the stream has ended (or its reader failed: see <see cref="Reading"/>).</summary>
    public T? Next()
    {
        while (index == current.Length)
        {
            if (!batches.TryTake(out var batch, Timeout.Infinite, cancellationToken))
            {
                return null;
            }

            (current, index) = (batch, 0);
        }

        return current[index++];
    }

    public void Dispose() => batches.Dispose();

    private void Fill(Func<T?> next)
    {
        try
        {
            var batch = new List<T>(BatchSize);
            while (next() is { } item)
            {
                batch.Add(item);
                if (batch.Count == BatchSize)
                {
                    batches.Add([.. batch], cancellationToken);
                    batch.Clear();
                }
            }

            batches.Add([.. batch], cancellationToken);
        }
        finally
        {
            // The consumer must learn that nothing more comes, whether the stream ended or failed.
            batches.CompleteAdding();
        }
    }
}
