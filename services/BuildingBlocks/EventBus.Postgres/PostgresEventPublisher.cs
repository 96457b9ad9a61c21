using Npgsql;

namespace Payments.EventBus.Postgres;

/// <summary>Publishes by appending to the event log in a transaction of its own.</summary>
public sealed class PostgresEventPublisher(NpgsqlDataSource dataSource) : IEventPublisher
{
    /// <inheritdoc />
    public async Task<IReadOnlySet<Guid>?> PublishAsync(string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        // The commit returns once PostgreSQL has made it durable (synchronous_commit on).
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var appended = await PostgresEventAppender.AppendAsync(connection, topic, events, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new HashSet<Guid>(appended);
    }
}
