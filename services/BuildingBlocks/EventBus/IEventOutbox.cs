using System.Data.Common;

namespace Payments.EventBus;

/// <summary>
/// Adds events inside a caller's database transaction, so they are published if and only if that
/// transaction commits (the transactional outbox). The PostgreSQL transport appends straight to its
/// log; a broker transport stores them in an outbox table that a relay publishes.
/// </summary>
public interface IEventOutbox
{
    /// <summary>Adds <paramref name="events"/> for <paramref name="topic"/> within <paramref name="transaction"/>.</summary>
    Task AddAsync(
        DbTransaction transaction, string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken);
}
