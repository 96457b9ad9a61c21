using System.Collections.Concurrent;

namespace Payments.EventBus.Dapr;

/// <summary>
/// The push side of the Dapr transport. The sidecar POSTs events; <see cref="RunAsync"/> only makes the
/// handler available to <see cref="DaprDeliveryEndpoint"/> for as long as it runs. Until then, or after,
/// deliveries of its topic are answered RETRY.
/// </summary>
public sealed class DaprEventSubscriber : IEventSubscriber
{
    private readonly ConcurrentDictionary<string, ActiveSubscription> active = new();

    /// <inheritdoc />
    public async Task RunAsync(Subscription subscription, IEventBatchHandler handler, CancellationToken cancellationToken)
    {
        var entry = new ActiveSubscription(subscription, handler);
        if (!active.TryAdd(subscription.Topic, entry))
        {
            throw new InvalidOperationException($"Topic {subscription.Topic} already has a handler in this process.");
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of a subscription.
        }
        finally
        {
            active.TryRemove(subscription.Topic, out _);
            entry.Dispose();
        }
    }

    /// <summary>The running subscription of <paramref name="topic"/>, or null.</summary>
    internal ActiveSubscription? Find(string topic) => active.GetValueOrDefault(topic);
}
