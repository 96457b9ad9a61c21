using Microsoft.Extensions.Logging.Abstractions;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Ledger;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Benchmarks.Scenarios;

/// <summary>The real ledger writer on the real transport, run inside the harness, and the intents it consumes.</summary>
internal static class InProcessWriter
{
    public const string Ledger = "main";

    /// <summary>Runs the writer until it has consumed everything in the intents topic.</summary>
    public static async Task RunUntilCaughtUpAsync(TestDatabase database)
    {
        using var stop = new CancellationTokenSource();
        var writer = new LedgerWriter(database.Ledger, new PostgresEventOutbox(), new LedgerOptions { Name = Ledger }, LedgerWriterMetrics.ForReplay(Ledger));
        var subscription = new Subscription(LedgerWriterService.ConsumerName(Ledger), EventTopics.Payments)
        {
            Exclusive = true,
            BatchSizeMax = Settings.WriterBatchSizeMax,
        };
        var run = new PostgresEventSubscriber(database.Ledger, NullLogger<PostgresEventSubscriber>.Instance).RunAsync(subscription, writer, stop.Token);
        await Eventually.WaitUntilAsync(() => database.Ledger.ScalarAsync<bool>("""
            select coalesce((select "offset" from eventlog.consumer_offsets where consumer = $1 and topic = 'payments'), 0)
                 = coalesce((select max(seq) from eventlog.events where topic = 'payments'), 0)
            """, subscription.Consumer), TimeSpan.FromMinutes(10), "the writer caught up", TimeSpan.FromMilliseconds(5));
        await stop.CancelAsync();
        await run;
    }

    public static async Task PublishAsync(TestDatabase database, IEnumerable<EventEnvelope> events)
    {
        var publisher = new PostgresEventPublisher(database.Ledger);
        foreach (var chunk in events.Chunk(4096))
        {
            await publisher.PublishAsync(EventTopics.Payments, chunk, CancellationToken.None);
        }
    }

    public static (Guid Id, EventEnvelope Event) OpenAccount(int index)
    {
        var id = IntentIds.Account("bench", $"account-{index}");
        var intent = new AccountOpeningRequested { AccountId = id.ToString(), Ledger = Ledger, Currency = "EUR", Owner = "bench", Principal = "bench" };
        return (id, Wrap(intent, id));
    }

    public static EventEnvelope Pay(Guid from, Guid to, long amount)
    {
        var id = Guid.NewGuid();
        var intent = new PaymentRequested
        {
            PaymentId = id.ToString(), RequestId = id.ToString(), Principal = "bench", Ledger = Ledger,
            DebitAccountId = from.ToString(), CreditAccountId = to.ToString(), AmountMinor = amount, Currency = "EUR",
        };
        return Wrap(intent, id);
    }

    private static EventEnvelope Wrap(Google.Protobuf.IMessage intent, Guid subject) =>
        ProtoEvents.Wrap(intent, IntentIds.IntentEvent(subject), "bench", subject.ToString(), Ledger, DateTimeOffset.UtcNow, null);
}
