using System.Data.Common;
using Npgsql;

namespace Payments.EventBus.Dapr;

/// <summary>
/// What a pushed delivery records in the handler's transaction. Dapr has no offset to commit with the
/// handler's writes, so this records two other things, first in the transaction:
/// <list type="bullet">
/// <item>the consumer's advisory lock, for the rest of the transaction: the same key the PostgreSQL
/// transport holds for an exclusive consumer's lifetime, so at most one instance writes at a time,
/// whichever transport it runs (ADR 0020);</item>
/// <item>a write generation per consumer, bumped by every delivery. If it moved since this process last
/// committed, another instance wrote in between, and the handler is told to drop what it cached
/// (<see cref="IEventBatchHandler.OnAssignedAsync"/>) before it reads anything.</item>
/// <item>the delivered event's offset in the log, where the relay read it from (ADR 0021), as the
/// consumer's offset, the row the PostgreSQL transport commits: so the audit and a rebuild see how far the
/// consumer got with its rows, whichever transport delivered.</item>
/// </list>
/// </summary>
internal sealed class DaprDeliveryProgress(ActiveSubscription subscription, Guid eventId, int lockWaitMs) : IDeliveryProgress
{
    /// <summary>The generation this delivery wrote, once <see cref="SaveAsync"/> has run.</summary>
    public long? Generation { get; private set; }

    /// <summary>The row of <c>eventlog.consumer_offsets</c> that counts generations; apart from any log offset.</summary>
    public static string GenerationTopic(string topic) => "dapr:" + topic;

    public async Task SaveAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)(transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already completed."));
        var consumer = subscription.Subscription.Consumer;
        if (subscription.Subscription.Exclusive)
        {
            // A wait beyond the bound fails with lock_not_available, which the endpoint answers RETRY.
            await using var timeoutCommand = new NpgsqlCommand(
                $"set local lock_timeout = {lockWaitMs}", connection, (NpgsqlTransaction)transaction);
            await timeoutCommand.ExecuteNonQueryAsync(cancellationToken);
            await using var lockCommand = new NpgsqlCommand(
                "select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, (NpgsqlTransaction)transaction);
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = "eventlog.consumer:" + consumer });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand("""
            insert into eventlog.consumer_offsets (consumer, topic, "offset") values ($1, $2, 1)
            on conflict (consumer, topic) do update
                set "offset" = eventlog.consumer_offsets."offset" + 1, updated_at = now()
            returning "offset"
            """, connection, (NpgsqlTransaction)transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = GenerationTopic(subscription.Subscription.Topic) });
        var generation = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await SaveLogOffsetAsync(connection, (NpgsqlTransaction)transaction, consumer, cancellationToken);
        if (subscription.LastGeneration != generation - 1)
        {
            await subscription.Handler.OnAssignedAsync(cancellationToken);
        }

        Generation = generation;
    }

    // Kafka keeps the log's order (one partition per ledger, relayed in order), so the greatest offset
    // delivered is how far the consumer got; a redelivery of an older event leaves it where it is. An
    // event that is not in this log (published to the broker by something else) records nothing.
    private async Task SaveLogOffsetAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string consumer, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            insert into eventlog.consumer_offsets (consumer, topic, "offset")
            select $1, $2, seq from eventlog.events where topic = $2 and id = $3
            on conflict (consumer, topic) do update
                set "offset" = greatest(eventlog.consumer_offsets."offset", excluded."offset"), updated_at = now()
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = subscription.Subscription.Topic });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
