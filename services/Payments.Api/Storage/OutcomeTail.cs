using Google.Protobuf;
using Npgsql;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.EventBus;

namespace Payments.Api.Storage;

/// <summary>
/// One reader of the ledger's outcome topic for the whole process. It hands each outcome event to the
/// caller waiting for that payment, so a thousand waiting calls cost one query per ledger commit and no
/// read of their own. Outcomes nobody waits for yet are kept for a while (bounded), so a caller that
/// registers just after its outcome went by still gets it. A caller that misses both (the tail
/// restarting, or an outcome older than the tail) falls back to reading the ledger. Watches follow
/// their payment here too, so an outcome about another payment costs them nothing.
/// </summary>
internal sealed class OutcomeTail(NpgsqlDataSource dataSource, ITopicSignal signal, ILogger<OutcomeTail> logger) : BackgroundService
{
    private const int PageSize = 4096;
    private const int RecentOutcomesMax = 65_536;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Waiter> waiters = [];
    private readonly Dictionary<Guid, Waiter> followers = [];
    private readonly Dictionary<Guid, EventEnvelope> recent = [];
    private readonly Queue<Guid> recentOrder = new();

    /// <summary>
    /// A task that completes with the first outcome about <paramref name="paymentId"/>. Calls about one
    /// payment (a retry while the first call still waits) share it; each gives it back with <see cref="Forget"/>.
    /// </summary>
    public Task<EventEnvelope> WhenDecided(Guid paymentId)
    {
        lock (gate)
        {
            return recent.TryGetValue(paymentId, out var outcome) ? Task.FromResult(outcome) : Join(waiters, paymentId);
        }
    }

    /// <summary>
    /// Stops one call's wait that <see cref="WhenDecided"/> returned as <paramref name="wait"/>. Others
    /// waiting for the same payment keep waiting; the last one to stop removes the waiter.
    /// </summary>
    public void Forget(Guid paymentId, Task<EventEnvelope> wait)
    {
        lock (gate)
        {
            Leave(waiters, paymentId, wait);
        }
    }

    /// <summary>
    /// A task that completes with the next outcome that changes <paramref name="paymentId"/>: one about
    /// it, or a capture or void of it as a hold. Unlike <see cref="WhenDecided"/> it waits for the next
    /// one from now on, so a follower asks before it reads the payment; each gives it back with <see cref="Unfollow"/>.
    /// </summary>
    public Task<EventEnvelope> NextChange(Guid paymentId)
    {
        lock (gate)
        {
            return Join(followers, paymentId);
        }
    }

    /// <summary>Stops one follower's wait that <see cref="NextChange"/> returned as <paramref name="wait"/>.</summary>
    public void Unfollow(Guid paymentId, Task<EventEnvelope> wait)
    {
        lock (gate)
        {
            Leave(followers, paymentId, wait);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TailAsync(stoppingToken);
            }
            catch (NpgsqlException exception)
            {
                // Waiters fall back to reading the ledger meanwhile; start again from the head.
                logger.LogWarning(exception, "The outcome tail lost the database; restarting");
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }

    private async Task TailAsync(CancellationToken cancellationToken)
    {
        var position = await HeadAsync(cancellationToken);
        while (true)
        {
            var appended = signal.NextAppendAsync(EventTopics.Ledger);
            var page = await PostgresOutcomes.ReadAsync(dataSource, position, PageSize, cancellationToken);
            foreach (var (offset, outcome) in page)
            {
                Deliver(outcome);
                position = offset;
            }

            if (page.Count < PageSize)
            {
                await Task.WhenAny(appended, Task.Delay(PollInterval, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private void Deliver(EventEnvelope outcome)
    {
        if (!Guid.TryParse(outcome.Subject, out var subject))
        {
            return;
        }

        Waiter? waiter, follower, holdFollower = null;
        lock (gate)
        {
            // Only the first outcome about a payment decides it (a hold's later expiry does not).
            if (!waiters.Remove(subject, out waiter) && recent.TryAdd(subject, outcome))
            {
                recentOrder.Enqueue(subject);
                if (recentOrder.Count > RecentOutcomesMax)
                {
                    recent.Remove(recentOrder.Dequeue());
                }
            }

            followers.Remove(subject, out follower);
            if (followers.Count > 0 && ResolvedHold(outcome) is { } hold)
            {
                followers.Remove(hold, out holdFollower);
            }
        }

        waiter?.Outcome.TrySetResult(outcome);
        follower?.Outcome.TrySetResult(outcome);
        holdFollower?.Outcome.TrySetResult(outcome);
    }

    // The hold a capture or void resolves; only read when someone follows a payment.
    private static Guid? ResolvedHold(EventEnvelope outcome)
    {
        if (!outcome.Carries<TransferPosted>())
        {
            return null;
        }

        try
        {
            return Guid.TryParse(outcome.Unwrap<TransferPosted>().PendingId, out var hold) ? hold : null;
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or InvalidJsonException)
        {
            return null;
        }
    }

    private static Task<EventEnvelope> Join(Dictionary<Guid, Waiter> waiting, Guid paymentId)
    {
        if (!waiting.TryGetValue(paymentId, out var waiter))
        {
            waiter = new Waiter();
            waiting[paymentId] = waiter;
        }

        waiter.Calls++;
        return waiter.Outcome.Task;
    }

    private static void Leave(Dictionary<Guid, Waiter> waiting, Guid paymentId, Task<EventEnvelope> wait)
    {
        if (waiting.TryGetValue(paymentId, out var waiter) && waiter.Outcome.Task == wait && --waiter.Calls == 0)
        {
            waiting.Remove(paymentId);
        }
    }

    private async Task<long> HeadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select coalesce(max(seq), 0) from eventlog.events where topic = '{EventTopics.Ledger}'");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The outcome one or more calls wait for, and how many of them still do.</summary>
    private sealed class Waiter
    {
        public TaskCompletionSource<EventEnvelope> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls { get; set; }
    }
}
