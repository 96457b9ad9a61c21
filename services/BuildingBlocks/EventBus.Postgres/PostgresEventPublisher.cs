using Npgsql;

namespace Payments.EventBus.Postgres;

/// <summary>Publishes by appending to the event log in a transaction of its own.</summary>
public sealed class PostgresEventPublisher(NpgsqlDataSource dataSource) : IEventPublisher
{
    /// <inheritdoc />
    public async Task<IReadOnlySet<Guid>?> PublishAsync(string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        // A single statement is its own transaction; it returns after the commit, which PostgreSQL makes
        // durable before answering (synchronous_commit on).
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return new HashSet<Guid>(await PostgresEventLog.AppendAsync(connection, topic, events, cancellationToken));
    }
}
