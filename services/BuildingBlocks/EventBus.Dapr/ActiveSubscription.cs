namespace Payments.EventBus.Dapr;

/// <summary>
/// A subscription with its handler while it runs. Handlers keep state between batches and are not
/// thread-safe, but the sidecar delivers the partitions of a topic concurrently, so deliveries take
/// <see cref="Gate"/> one at a time.
/// </summary>
internal sealed class ActiveSubscription(Subscription subscription, IEventBatchHandler handler) : IDisposable
{
    public Subscription Subscription { get; } = subscription;

    public IEventBatchHandler Handler { get; } = handler;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>
    /// The write generation this process committed last (see <see cref="DaprDeliveryProgress"/>), or null
    /// before its first commit. Read and written under <see cref="Gate"/>.
    /// </summary>
    public long? LastGeneration { get; set; }

    public void Dispose() => Gate.Dispose();
}
