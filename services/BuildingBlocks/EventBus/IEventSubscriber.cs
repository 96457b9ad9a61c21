namespace Payments.EventBus;

/// <summary>Delivers a topic's events to a handler, in order, in batches.</summary>
public interface IEventSubscriber
{
    /// <summary>
    /// Runs the subscription until <paramref name="cancellationToken"/> is cancelled. Failures of the
    /// handler or the transport restart delivery from the last recorded progress.
    /// </summary>
    Task RunAsync(Subscription subscription, IEventBatchHandler handler, CancellationToken cancellationToken);
}
