using System.Threading.Channels;

namespace Payments.Operator.Controllers;

/// <summary>
/// Keys ("namespace/name") waiting to be reconciled. A key already waiting is not added twice, so a
/// burst of watch events costs one reconcile; its size is bounded by the number of LedgerClusters.
/// </summary>
public sealed class ReconcileQueue
{
    private readonly Channel<string> channel = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> waiting = [];
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

    /// <summary>Adds <paramref name="key"/> after <paramref name="delay"/>, unless <paramref name="cancellationToken"/> ends first.</summary>
    public void EnqueueAfter(string key, TimeSpan delay, CancellationToken cancellationToken) =>
        _ = Task.Delay(delay, cancellationToken).ContinueWith(
            _ => Enqueue(key), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

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

    /// <summary>The key of a namespaced object.</summary>
    public static string KeyOf(string ns, string name) => ns + "/" + name;

    /// <summary>The namespace and name in <paramref name="key"/>.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}
