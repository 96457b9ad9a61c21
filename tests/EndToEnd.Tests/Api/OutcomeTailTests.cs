using Microsoft.Extensions.Logging.Abstractions;
using Payments.Api.Storage;
using Payments.Contracts;
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

    [Fact]
    public async Task A_call_that_stops_waiting_leaves_the_others_waiting_for_the_same_payment()
    {
        var payment = Guid.NewGuid();
        var first = tail.WhenDecided(payment);
        var retry = tail.WhenDecided(payment);

        tail.Forget(payment, first);
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

    private Task PublishOutcomeAsync(Guid payment) => new PostgresEventPublisher(database.Ledger).PublishAsync(EventTopics.Ledger,
        [new EventEnvelope(Guid.NewGuid(), "ledger.v1.TransferPosted", "ledger", payment.ToString(), "main", DateTimeOffset.UtcNow, null, "{}")],
        CancellationToken.None);
}
