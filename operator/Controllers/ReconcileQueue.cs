using System.Threading.Channels;

namespace Payments.Operator.Controllers;

/// <summary>
/// Keys ("namespace/name") waiting to be reconciled. A key already waiting is not added twice, so a
/// burst of watch events costs one reconcile; its size is bounded by the number of LedgerClusters. A key
/// also waits on at most one delay, the earliest asked for, as controller-runtime's delaying queue does:
/// every reconcile of a Ready cluster asks for the next resync, and a delay for each would add one more
/// resync for good every time a watch event reconciled the cluster in between.
/// </summary>
public sealed class ReconcileQueue
{
    private readonly Channel<string> channel = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> waiting = [];
    private readonly Dictionary<string, PendingDelay> delayed = [];
    private readonly Lock gate = new();

    /// <summary>Adds <paramref name="key"/> unless it is already waiting.</summary>
    public void Enqueue(string key)
    {
        lock (gate)
        {
            if (waiting.Add(key))
            {
                channel.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="key"/> after <paramref name="delay"/>, unless <paramref name="cancellationToken"/>
    /// ends first or the key already waits on a delay that ends sooner.
    /// </summary>
    public void EnqueueAfter(string key, TimeSpan delay, CancellationToken cancellationToken)
    {
        var pending = new PendingDelay(Environment.TickCount64 + (long)delay.TotalMilliseconds, cancellationToken);
        lock (gate)
        {
            // A delay cancelled with its leadership term will never fire, so it holds nothing back.
            if (delayed.TryGetValue(key, out var earlier) && earlier.DueMs <= pending.DueMs && !earlier.Cancellation.IsCancellationRequested)
            {
                return;
            }

            delayed[key] = pending;
        }

        _ = WaitThenEnqueueAsync(key, delay, pending);
    }

    /// <summary>The next key; it may be enqueued again from the moment it is taken.</summary>
    public async Task<string> DequeueAsync(CancellationToken cancellationToken)
    {
        var key = await channel.Reader.ReadAsync(cancellationToken);
        lock (gate)
        {
            waiting.Remove(key);
        }

        return key;
    }

    private async Task WaitThenEnqueueAsync(string key, TimeSpan delay, PendingDelay pending)
    {
        try
        {
            await Task.Delay(delay, pending.Cancellation);
        }
        catch (OperationCanceledException)
        {
            Forget(key, pending);
            return;
        }

        if (Forget(key, pending))
        {
            Enqueue(key);
        }
    }

    // True if the key still waited on this delay; false when a sooner one took its place.
    private bool Forget(string key, PendingDelay pending)
    {
        lock (gate)
        {
            return delayed.TryGetValue(key, out var current) && ReferenceEquals(current, pending) && delayed.Remove(key);
        }
    }

    /// <summary>The key of a namespaced object.</summary>
    public static string KeyOf(string ns, string name) => ns + "/" + name;

    /// <summary>The namespace and name in <paramref name="key"/>.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    // A class, not a record: a delay is told apart from a later one for the same time by its identity.
    private sealed class PendingDelay(long dueMs, CancellationToken cancellation)
    {
        public long DueMs { get; } = dueMs;

        public CancellationToken Cancellation { get; } = cancellation;
    }
}
