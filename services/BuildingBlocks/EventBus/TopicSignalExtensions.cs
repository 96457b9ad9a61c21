namespace Payments.EventBus;

/// <summary>The wait loop every "wait for the ledger's outcome" call shares.</summary>
public static class TopicSignalExtensions
{
    // A lost notification (a reconnect, say) costs at most this much extra latency.
    private static readonly TimeSpan PollIntervalMax = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Probes until it returns a value or <paramref name="timeout"/> elapses, waking on appends to
    /// <paramref name="topic"/> and at least every 250 ms. Returns null on timeout.
    /// </summary>
    public static async Task<T?> WaitForAsync<T>(
        this ITopicSignal signal, string topic, Func<CancellationToken, Task<T?>> probe, TimeSpan timeout,
        CancellationToken cancellationToken) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var appended = signal.NextAppendAsync(topic);
            var result = await probe(cancellationToken);
            var remaining = deadline - DateTime.UtcNow;
            if (result is not null || remaining <= TimeSpan.Zero)
            {
                return result;
            }

            var wait = remaining < PollIntervalMax ? remaining : PollIntervalMax;
            await Task.WhenAny(appended, Task.Delay(wait, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
