namespace Payments.EventBus;

/// <summary>Appends events to the backbone.</summary>
public interface IEventPublisher
{
    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="topic"/> and returns only once they are
    /// durable. An event whose id the topic already holds is skipped, so a re-publish is harmless.
    /// </summary>
    Task PublishAsync(string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken);
}
