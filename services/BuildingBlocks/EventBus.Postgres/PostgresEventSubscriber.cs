using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.EventBus.Postgres;

/// <summary>
/// Delivers a topic from the event log. Each session holds one control connection that LISTENs for
/// appends (with a polling fallback) and, for exclusive subscriptions, holds the consumer's advisory lock;
/// if that connection dies, the lock is released and a standby takes over.
/// </summary>
/// <remarks>
/// The server pushes notifications to an idle listening session whether or not anyone reads them. A
/// consumer with a backlog never waits on its control connection, so it reads it at least once a
/// <see cref="PollInterval"/> while busy: left unread, the socket fills, the server session blocks
/// writing to it, and that one session holds back the cleanup of the cluster-wide notification queue,
/// which stops every NOTIFY, and so every append, once it is full.
/// </remarks>
public sealed class PostgresEventSubscriber(NpgsqlDataSource dataSource, ILogger<PostgresEventSubscriber> logger)
    : IEventSubscriber
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StandbyPollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RestartDelay = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    public async Task RunAsync(Subscription subscription, IEventBatchHandler handler, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(subscription, handler, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure ends the session; delivery resumes from the recorded offset.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                logger.LogWarning(exception, "Subscription {Consumer}/{Topic} failed; restarting", subscription.Consumer, subscription.Topic);
                await Task.Delay(RestartDelay, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunSessionAsync(Subscription subscription, IEventBatchHandler handler, CancellationToken cancellationToken)
    {
        await using var control = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await DeliverAsync(control, subscription, handler, cancellationToken);
        }
        finally
        {
            await ReleaseAsync(control);
        }
    }

    private async Task DeliverAsync(
        NpgsqlConnection control, Subscription subscription, IEventBatchHandler handler, CancellationToken cancellationToken)
    {
        if (subscription.Exclusive)
        {
            await AcquireExclusivityAsync(control, subscription, cancellationToken);
        }

        await ExecuteAsync(control, $"listen \"{EventLogSchema.ChannelOf(subscription.Topic)}\"", cancellationToken);
        await handler.OnAssignedAsync(cancellationToken);
        var offset = await LoadOffsetAsync(subscription, cancellationToken);
        logger.LogInformation("Subscription {Consumer}/{Topic} active from offset {Offset}", subscription.Consumer, subscription.Topic, offset);

        var delivery = new BatchDelivery(handler, SaveProgressAloneAsync);
        try
        {
            await DeliverFromAsync(control, subscription, delivery, offset, cancellationToken);
        }
        finally
        {
            await delivery.SettleAsync();
        }
    }

    private async Task DeliverFromAsync(
        NpgsqlConnection control, Subscription subscription, BatchDelivery delivery, long offset, CancellationToken cancellationToken)
    {
        List<PostgresEventLog.StoredEvent>? prefetched = null;
        var controlRead = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var stored = prefetched ?? await PostgresEventLog.ReadAsync(
                dataSource, subscription.Topic, offset, subscription.BatchSizeMax, cancellationToken);
            prefetched = null;
            if (stored.Count == 0)
            {
                // Returns early on a NOTIFY; the timeout covers a notification lost to a reconnect. An idle
                // consumer also looks whether its offset was moved (an operator rewinding it for a replay),
                // which a busy one learns at its next save, and then starts over from there.
                // Nothing is in flight while it waits: the offset it compares is the one committed last.
                await delivery.DrainAsync();
                if (!await control.WaitAsync(PollInterval, cancellationToken) && await StoredOffsetAsync(subscription, cancellationToken) != offset)
                {
                    logger.LogInformation("Subscription {Consumer}/{Topic}: the offset was moved; starting over from it",
                        subscription.Consumer, subscription.Topic);
                    return;
                }

                controlRead = TimeProvider.System.GetTimestamp();
                continue;
            }

            if (TimeProvider.System.GetElapsedTime(controlRead) >= PollInterval)
            {
                await DrainNotificationsAsync(control, cancellationToken);
                controlRead = TimeProvider.System.GetTimestamp();
            }

            if (stored.Count < subscription.BatchSizeMax && subscription.LingerMs > 0)
            {
                // Let a short batch fill for a bounded moment, then take what is there.
                await Task.Delay(subscription.LingerMs, cancellationToken);
                stored = await PostgresEventLog.ReadAsync(dataSource, subscription.Topic, offset, subscription.BatchSizeMax, cancellationToken);
            }

            var progress = new PostgresDeliveryProgress(subscription.Consumer, subscription.Topic, offset, stored[^1].Offset);

            // A full batch says more is waiting: read it while the handler works on this one, so the log's
            // read overlaps the handler's writes instead of following them.
            var next = stored.Count == subscription.BatchSizeMax
                ? PostgresEventLog.ReadAsync(dataSource, subscription.Topic, progress.ToOffset, subscription.BatchSizeMax, cancellationToken)
                : null;
            try
            {
                await delivery.DeliverAsync(
                    new EventBatch(subscription.Topic, stored.ConvertAll(e => e.Envelope), progress), progress, cancellationToken);
            }
            catch
            {
                // The read ahead is worthless now; only make sure its failure, if any, is observed.
                await (next ?? Task.FromResult<List<PostgresEventLog.StoredEvent>>([])).ContinueWith(_ => { }, TaskScheduler.Default);
                throw;
            }

            offset = progress.ToOffset;
            prefetched = next is null ? null : await next;
        }
    }

    // Any round trip reads, and so discards, every notification the server has pushed before its answer.
    // It also finds out early that the connection holding the exclusive lock has died.
    private static Task DrainNotificationsAsync(NpgsqlConnection control, CancellationToken cancellationToken) =>
        ExecuteAsync(control, "select 1", cancellationToken);

    // A pooled connection keeps session state (the advisory lock, LISTEN) until it is reused, so a
    // consumer that stops cleanly hands the stream to a standby at once only if it releases both here.
    // A broken connection is not pooled, and the server releases its lock when the session ends.
    private async Task ReleaseAsync(NpgsqlConnection control)
    {
        if (control.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await ExecuteAsync(control, "unlisten *; select pg_advisory_unlock_all()", CancellationToken.None);
        }
        catch (NpgsqlException exception)
        {
            logger.LogDebug(exception, "Could not release the subscription's session state; the server will when the session ends");
        }
    }

    private async Task AcquireExclusivityAsync(NpgsqlConnection control, Subscription subscription, CancellationToken cancellationToken)
    {
        var announced = false;
        while (true)
        {
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", control);
            command.Parameters.Add(new NpgsqlParameter { Value = "eventlog.consumer:" + subscription.Consumer });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }

            if (!announced)
            {
                logger.LogInformation("Consumer {Consumer} is active elsewhere; waiting as standby", subscription.Consumer);
                announced = true;
            }

            await Task.Delay(StandbyPollInterval, cancellationToken);
        }
    }

    private async Task<long> LoadOffsetAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            insert into eventlog.consumer_offsets (consumer, topic, "offset") values ($1, $2, 0)
            on conflict (consumer, topic) do update set "offset" = eventlog.consumer_offsets."offset"
            returning "offset"
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subscription.Consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = subscription.Topic });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<long> StoredOffsetAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""select "offset" from eventlog.consumer_offsets where consumer = $1 and topic = $2""");
        command.Parameters.Add(new NpgsqlParameter { Value = subscription.Consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = subscription.Topic });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // For handlers that write nothing of their own, the transport records the offset itself.
    private async Task SaveProgressAloneAsync(PostgresDeliveryProgress progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await progress.SaveAsync(transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
