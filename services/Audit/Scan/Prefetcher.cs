namespace Payments.Audit.Scan;

/// <summary>
/// Reads a stream on a thread of its own, a bounded number of batches ahead of its consumer, so decoding
/// rows from one connection overlaps with decoding the other and with checking.
/// </summary>
/// <remarks>
/// The hand-over is a plain monitor: a waiting side sleeps at once. A <c>BlockingCollection</c> spins
/// first, and with five busy threads (three here, two PostgreSQL backends) on two cores, the spinning
/// took CPU time from the very threads it waited for (docs/performance.md).
/// </remarks>
internal sealed class Prefetcher<T> : IDisposable
    where T : class
{
    private const int BatchSize = 1024;
    private const int BatchesAheadMax = 8;
    private readonly Queue<T[]> ready = new();
    private readonly CancellationToken cancellationToken;
    private readonly CancellationTokenRegistration wakeOnCancel;
    private bool ended;
    private T[] current = [];
    private int index;

    /// <param name="next">Returns the next item, or null at the end; called on the prefetching thread only.</param>
    /// <param name="cancellationToken">Stops the reading, for instance when the consumer failed.</param>
    public Prefetcher(Func<T?> next, CancellationToken cancellationToken)
    {
        this.cancellationToken = cancellationToken;
        wakeOnCancel = cancellationToken.Register(WakeAll);
        Reading = Task.Run(() => Fill(next), CancellationToken.None);
    }

    /// <summary>Completes when the stream is read to its end; faults with the reader's exception.</summary>
    public Task Reading { get; }

    /// <summary>
    /// The next item, or null once the stream has ended (or its reader failed: see <see cref="Reading"/>).
    /// Throws <see cref="OperationCanceledException"/> once the token is cancelled.
    /// </summary>
    public T? Next()
    {
        while (index == current.Length)
        {
            lock (ready)
            {
                while (!cancellationToken.IsCancellationRequested && ready.Count == 0 && !ended)
                {
                    Monitor.Wait(ready);
                }

                cancellationToken.ThrowIfCancellationRequested();

                if (ready.Count == 0)
                {
                    return null;
                }

                (current, index) = (ready.Dequeue(), 0);
                Monitor.PulseAll(ready);
            }
        }

        return current[index++];
    }

    public void Dispose() => wakeOnCancel.Dispose();

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
                    Hand([.. batch]);
                    batch.Clear();
                }
            }

            Hand([.. batch]);
        }
        finally
        {
            // The consumer must learn that nothing more comes, whether the stream ended or failed.
            lock (ready)
            {
                ended = true;
                Monitor.PulseAll(ready);
            }
        }
    }

    private void Hand(T[] batch)
    {
        lock (ready)
        {
            while (ready.Count == BatchesAheadMax)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(ready);
            }

            ready.Enqueue(batch);
            Monitor.PulseAll(ready);
        }
    }

    private void WakeAll()
    {
        lock (ready)
        {
            Monitor.PulseAll(ready);
        }
    }
}
