using System.Data.Common;
using Npgsql;

namespace Payments.EventBus.Postgres;

/// <summary>
/// The event log is its own outbox: events are appended in the caller's transaction and become visible
/// to consumers exactly when it commits.
/// </summary>
public sealed class PostgresEventOutbox : IEventOutbox
{
    /// <inheritdoc />
    public Task AddAsync(
        DbTransaction transaction, string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken) =>
        PostgresEventAppender.AppendAsync(ConnectionOf(transaction), topic, events, cancellationToken);

    /// <inheritdoc />
    public Task AddNewAsync(
        DbTransaction transaction, string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken) =>
        PostgresEventAppender.AppendAsync(ConnectionOf(transaction), topic, events, cancellationToken, PostgresEventAppender.Repeats.Refuse);

    private static NpgsqlConnection ConnectionOf(DbTransaction transaction) =>
        (NpgsqlConnection)(transaction.Connection ?? throw new InvalidOperationException("The transaction has already completed."));
}
