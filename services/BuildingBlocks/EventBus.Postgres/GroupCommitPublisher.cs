using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Postgres;

namespace Payments.EventBus.Postgres;

/// <summary>
/// Group commit: concurrent publishers share one transaction. Each caller's events wait in a bounded
/// queue; one loop takes whatever has queued up (at most <see cref="EventsPerCommitMax"/> events),
/// appends it in one transaction, and completes every caller once that transaction has committed. While
/// a commit is in flight the next group forms, so the busier the service, the larger the groups, and
/// nothing is acknowledged before it is durable.
/// </summary>
public sealed class GroupCommitPublisher(NpgsqlDataSource dataSource, ILogger<GroupCommitPublisher> logger)
    : BackgroundService, IEventPublisher
{
    /// <summary>The most events one commit carries.</summary>
    public const int EventsPerCommitMax = 4096;

    // Bounded in calls and in events: under overload callers wait here instead of growing memory. A call
    // may carry thousands of events (a batch), so a bound on calls alone would let the queue hold millions.
    private const int QueuedCallsMax = 16_384;
    private const int QueuedEventsMax = 65_536;

    private readonly Channel<PendingAppend> queue = Channel.CreateBounded<PendingAppend>(
        new BoundedChannelOptions(QueuedCallsMax) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    // One permit per queued event, given back once its group is done. Callers take theirs one caller at a
    // time: two batches each holding part of what they need would otherwise wait for each other forever.
    private readonly SemaphoreSlim room = new(QueuedEventsMax, QueuedEventsMax);
    private readonly SemaphoreSlim taking = new(1, 1);

    private sealed record PendingAppend(string Topic, IReadOnlyList<EventEnvelope> Events, TaskCompletionSource<IReadOnlySet<Guid>?> Committed);

    /// <inheritdoc />
    public async Task<IReadOnlySet<Guid>?> PublishAsync(string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return new HashSet<Guid>();
        }

        if (events.Count > EventsPerCommitMax)
        {
            throw new ArgumentException($"At most {EventsPerCommitMax} events can be published at once.", nameof(events));
        }

        var pending = new PendingAppend(topic, events, new TaskCompletionSource<IReadOnlySet<Guid>?>(TaskCreationOptions.RunContinuationsAsynchronously));
        await TakeRoomAsync(events.Count, cancellationToken);
        try
        {
            await queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch
        {
            room.Release(events.Count);
            throw;
        }

        // A caller that gives up may still see its events committed; ids are deterministic, so its retry is a no-op.
        return await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        room.Dispose();
        taking.Dispose();
    }

    private async Task TakeRoomAsync(int count, CancellationToken cancellationToken)
    {
        await taking.WaitAsync(cancellationToken);
        var taken = 0;
        try
        {
            for (; taken < count; taken++)
            {
                await room.WaitAsync(cancellationToken);
            }
        }
        catch
        {
            if (taken > 0)
            {
                room.Release(taken);
            }

            throw;
        }
        finally
        {
            taking.Release();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CommitGroupsAsync(stoppingToken);
        }
        finally
        {
            // Nobody will commit what is still queued; its callers must not wait forever.
            queue.Writer.TryComplete();
            while (queue.Reader.TryRead(out var abandoned))
            {
                abandoned.Committed.TrySetException(new OperationCanceledException("The service is stopping; nothing was committed."));
            }
        }
    }

    private async Task CommitGroupsAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingAppend>();
        try
        {
            await CommitGroupsAsync(group, stoppingToken);
        }
        finally
        {
            // Stopping while a failed group is retried call by call leaves the calls not yet tried here.
            group.ForEach(p => p.Committed.TrySetException(new OperationCanceledException("The service is stopping; nothing was committed.")));
        }
    }

    private async Task CommitGroupsAsync(List<PendingAppend> group, CancellationToken stoppingToken)
    {
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            var events = 0;
            while (events < EventsPerCommitMax && queue.Reader.TryPeek(out var next) && (group.Count == 0 || events + next.Events.Count <= EventsPerCommitMax))
            {
                queue.Reader.TryRead(out next);
                group.Add(next!);
                events += next!.Events.Count;
            }

            if (!await TryCommitAsync(group, stoppingToken))
            {
                // One call's bad events must not fail the others that happened to share its commit.
                foreach (var single in group)
                {
                    await TryCommitAsync([single], stoppingToken);
                }
            }

            room.Release(events);
            group.Clear();
        }
    }

    // Completes every caller of the group and returns true, with the error on failure, when the group has
    // a single call or the failure is the database's, not the data's (unreachable, restarting): retrying
    // such a group call by call would wait out a connection timeout per call while every caller behind
    // them queues. Returns false, completing nobody, for a larger group the database refused, which is
    // then retried call by call.
    private async Task<bool> TryCommitAsync(List<PendingAppend> group, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Topics in one order everywhere, so two processes appending to the same topics never deadlock on
            // the topics' locks.
            var appended = new Dictionary<string, HashSet<Guid>>(StringComparer.Ordinal);
            foreach (var topic in group.GroupBy(p => p.Topic, StringComparer.Ordinal).OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                appended[topic.Key] = [.. await PostgresEventAppender.AppendAsync(connection, topic.Key, topic.SelectMany(p => p.Events).ToList(), cancellationToken)];
            }

            await transaction.CommitAsync(cancellationToken);

            // When two calls of one group carry the same id for one topic, it is new only for the first of them.
            foreach (var pending in group)
            {
                var fresh = appended[pending.Topic];
                pending.Committed.TrySetResult(pending.Events.Where(e => fresh.Remove(e.Id)).Select(e => e.Id).ToHashSet());
            }

            return true;
        }
#pragma warning disable CA1031 // The callers learn of the failure; the loop goes on with the next group.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var stopping = cancellationToken.IsCancellationRequested;
            var completed = group.Count == 1 || stopping || TransientFailure.Is(exception);
            if (completed)
            {
                group.ForEach(p => p.Committed.TrySetException(exception));
            }

            if (stopping)
            {
                throw;
            }

            logger.LogWarning(exception, "A group commit of {Calls} publish calls failed", group.Count);
            return completed;
        }
    }
}
