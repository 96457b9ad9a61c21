using Microsoft.Extensions.Logging.Abstractions;
using Payments.Api.Payments;
using Payments.Api.Storage;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Api;

/// <summary>A watch holds a stream and a read a second: it ends after its longest duration, normally.</summary>
public sealed class PaymentWatcherTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_watch_of_a_payment_that_stands_still_ends_after_its_longest_duration()
    {
        var payment = Guid.NewGuid();
        await new PostgresEventPublisher(database.Api).PublishAsync(EventTopics.Payments, [ProtoEvents.Wrap(new PaymentRequested
        {
            PaymentId = payment.ToString(), DebitAccountId = Guid.NewGuid().ToString(), CreditAccountId = Guid.NewGuid().ToString(),
            AmountMinor = 10, Currency = "EUR", Ledger = "main", RequestId = "watched", Principal = "alice", Kind = PaymentKind.Hold, HoldTimeoutMs = 600_000,
        }, IntentIds.IntentEvent(payment), "payments-api", payment.ToString(), "main", DateTimeOffset.UtcNow, null)], CancellationToken.None);
        using var signal = new PostgresTopicSignal(database.Api, [EventTopics.Ledger], NullLogger<PostgresTopicSignal>.Instance);
        using var tail = new OutcomeTail(database.Api, signal, NullLogger<OutcomeTail>.Instance);
        var watcher = new PaymentWatcher(new PaymentReader(database.Api), tail);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var seen = new List<Contracts.PaymentsV1.PaymentStatus>();
        await foreach (var update in watcher.WatchAsync(payment, TimeSpan.FromSeconds(1), patience.Token))
        {
            seen.Add(update.Status);
        }

        // Ended by its own limit, not by the 30 s the test would wait: the watch is over, the hold is not.
        Assert.False(patience.IsCancellationRequested);
        Assert.Equal([Contracts.PaymentsV1.PaymentStatus.Accepted], seen);
    }
}
