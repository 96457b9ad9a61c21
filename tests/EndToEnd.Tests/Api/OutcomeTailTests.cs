using Microsoft.Extensions.Logging.Abstractions;
using Payments.Api.Storage;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Api;

/// <summary>
/// Calls waiting for one payment's outcome (a client retrying while its first call still waits) share
/// the tail's waiter; one of them giving up must not take it from the others.
/// </summary>
public sealed class OutcomeTailTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private PostgresTopicSignal signal = null!;
    private OutcomeTail tail = null!;

    public async Task InitializeAsync()
    {
        signal = new PostgresTopicSignal(database.Api, [EventTopics.Ledger], NullLogger<PostgresTopicSignal>.Instance);
        tail = new OutcomeTail(database.Api, signal, NullLogger<OutcomeTail>.Instance);
        await signal.StartAsync(CancellationToken.None);
        await tail.StartAsync(CancellationToken.None);

        // The tail starts from the head it reads first, so an outcome published before that goes unseen:
        // probe until one is delivered.
        await Eventually.WaitUntilAsync(async () =>
        {
            var probe = Guid.NewGuid();
            var delivered = tail.WhenDecided(probe);
            await PublishOutcomeAsync(probe);
            return await Task.WhenAny(delivered, Task.Delay(TimeSpan.FromMilliseconds(500))) == delivered;
        }, Timeout, "the outcome tail reached the head");
    }

    public async Task DisposeAsync()
    {
        await tail.StopAsync(CancellationToken.None);
        await signal.StopAsync(CancellationToken.None);
        tail.Dispose();
        signal.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_call_that_stops_waiting_leaves_the_others_waiting_for_the_same_payment(bool following)
    {
        // The same for the waits of calls for a decision and of watches following a payment.
        Func<Guid, Task<EventEnvelope>> wait = following ? tail.NextChange : tail.WhenDecided;
        Action<Guid, Task<EventEnvelope>> stop = following ? tail.Unfollow : tail.Forget;
        var payment = Guid.NewGuid();
        var first = wait(payment);
        var retry = wait(payment);

        stop(payment, first);
        await PublishOutcomeAsync(payment);

        Assert.Equal(payment.ToString(), (await retry.WaitAsync(Timeout)).Subject);
    }

    [Fact]
    public async Task Giving_back_an_outcome_that_was_already_known_leaves_a_live_waiter_alone()
    {
        // Delivered while nobody waited, so the tail keeps it: the proof is a later outcome delivered.
        var decided = Guid.NewGuid();
        await PublishOutcomeAsync(decided);
        var later = Guid.NewGuid();
        var laterDelivered = tail.WhenDecided(later);
        await PublishOutcomeAsync(later);
        await laterDelivered.WaitAsync(Timeout);
        var known = tail.WhenDecided(decided);
        Assert.True(known.IsCompletedSuccessfully);

        var pending = Guid.NewGuid();
        var waiting = tail.WhenDecided(pending);
        tail.Forget(pending, known);
        await PublishOutcomeAsync(pending);

        Assert.Equal(pending.ToString(), (await waiting.WaitAsync(Timeout)).Subject);
    }

    [Fact]
    public async Task A_follower_is_woken_by_its_payments_outcomes_and_its_holds_capture_but_not_by_others()
    {
        var hold = Guid.NewGuid();
        var change = tail.NextChange(hold);

        // Another payment's outcome, and a capture of another hold.
        await PublishOutcomeAsync(Guid.NewGuid());
        await PublishOutcomeAsync(Guid.NewGuid(), new TransferPosted { PendingId = Guid.NewGuid().ToString() });
        var capture = Guid.NewGuid();
        await PublishOutcomeAsync(capture, new TransferPosted { PendingId = hold.ToString() });

        // Outcomes are delivered in log order, so the capture is the one that woke it.
        Assert.Equal(capture.ToString(), (await change.WaitAsync(Timeout)).Subject);
        var next = tail.NextChange(hold);
        Assert.False(next.IsCompleted, "a follower waits for the next change, not the last one");
        await PublishOutcomeAsync(hold);
        Assert.Equal(hold.ToString(), (await next.WaitAsync(Timeout)).Subject);
    }

    private Task PublishOutcomeAsync(Guid payment, TransferPosted? posted = null) => new PostgresEventPublisher(database.Ledger).PublishAsync(EventTopics.Ledger,
        [new EventEnvelope(Guid.NewGuid(), TransferPosted.Descriptor.FullName, "ledger", payment.ToString(), "main", DateTimeOffset.UtcNow, null,
            posted is null ? "{}" : Google.Protobuf.JsonFormatter.Default.Format(posted))],
        CancellationToken.None);
}
