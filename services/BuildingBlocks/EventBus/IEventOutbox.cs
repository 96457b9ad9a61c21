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

    /// <summary>
    /// Adds <paramref name="events"/> whose ids the caller guarantees are new to <paramref name="topic"/>,
    /// for instance because each derives from a row the same transaction inserts under a unique key. A
    /// transport may then skip looking for them; an id that is not new after all fails the transaction
    /// there, instead of being skipped. Transports with no cheaper way add them as <see cref="AddAsync"/> does.
    /// </summary>
    Task AddNewAsync(
        DbTransaction transaction, string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken) =>
        AddAsync(transaction, topic, events, cancellationToken);
}
