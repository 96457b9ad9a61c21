namespace Payments.EventBus;

/// <summary>Appends events to the backbone.</summary>
public interface IEventPublisher
{
    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="topic"/> and returns only once they are
    /// durable. An event whose id the topic already holds is skipped, so a re-publish is harmless.
    /// Returns the ids this call appended for the first time, or null when the transport cannot tell
    /// (a broker); callers that care then read back what is recorded.
    /// </summary>
    Task<IReadOnlySet<Guid>?> PublishAsync(string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken);
}
