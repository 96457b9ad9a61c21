namespace Payments.EventBus;

/// <summary>Consumes batches of events for a subscription.</summary>
public interface IEventBatchHandler
{
    /// <summary>
    /// Called each time this instance (re)gains the stream, before the first batch. Anything cached from
    /// an earlier assignment may be stale, because another instance may have written in between.
    /// </summary>
    Task OnAssignedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Handles one batch. A handler that writes to the database records <see cref="EventBatch.Progress"/>
    /// inside its own transaction; throwing makes the transport deliver the batch again.
    /// </summary>
    Task HandleAsync(EventBatch batch, CancellationToken cancellationToken);
}
