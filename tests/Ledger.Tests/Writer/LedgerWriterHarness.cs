using Microsoft.Extensions.Logging.Abstractions;
using Payments.Contracts;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Ledger.Tests.Writer;

/// <summary>A real ledger writer on the real PostgreSQL transport, running in the test process.</summary>
internal sealed class LedgerWriterHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task run;

    private LedgerWriterHarness(TestDatabase database, LedgerWriterMetrics? metrics)
    {
        Writer = new LedgerWriter(database.Ledger, new PostgresEventOutbox(), new LedgerOptions { Name = Intents.Ledger },
            metrics ?? LedgerWriterMetrics.ForReplay(Intents.Ledger));
        Counted = new CountingHandler(Writer);
        var subscriber = new PostgresEventSubscriber(database.Ledger, NullLogger<PostgresEventSubscriber>.Instance);
        var subscription = new Subscription(LedgerWriterService.ConsumerName(Intents.Ledger), EventTopics.Payments) { Exclusive = true };
        run = subscriber.RunAsync(subscription, Counted, stop.Token);
    }

    public LedgerWriter Writer { get; }

    public CountingHandler Counted { get; }

    /// <summary>A writer on <paramref name="database"/>, reporting to <paramref name="metrics"/> when given.</summary>
    public static LedgerWriterHarness Start(TestDatabase database, LedgerWriterMetrics? metrics = null) => new(database, metrics);

    /// <summary>Publishes and waits until the writer has consumed everything in the intents topic.</summary>
    public static async Task PublishAndWaitAsync(TestDatabase database, params EventEnvelope[] events)
    {
        await new PostgresEventPublisher(database.Ledger).PublishAsync(EventTopics.Payments, events, CancellationToken.None);
        await WaitCaughtUpAsync(database);
    }

    public static Task WaitCaughtUpAsync(TestDatabase database) =>
        Eventually.WaitUntilAsync(() => database.Ledger.ScalarAsync<bool>("""
            select coalesce((select "offset" from eventlog.consumer_offsets where consumer = $1 and topic = 'payments'), 0)
                 = coalesce((select max(seq) from eventlog.events where topic = 'payments'), 0)
            """, LedgerWriterService.ConsumerName(Intents.Ledger)), TimeSpan.FromSeconds(30), "the ledger writer consumed every intent",
            TimeSpan.FromMilliseconds(5));

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await run;
        stop.Dispose();
    }

    /// <summary>Counts what reaches the writer, to tell the active instance from a standby.</summary>
    internal sealed class CountingHandler(IPipelinedBatchHandler inner) : IPipelinedBatchHandler
    {
        private int assignments;
        private int batches;

        public int Assignments => Volatile.Read(ref assignments);

        public int Batches => Volatile.Read(ref batches);

        public Task OnAssignedAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref assignments);
            return inner.OnAssignedAsync(cancellationToken);
        }

        // Counted on delivery, not after: the batch's offset commits after it is staged, so a test that
        // sees the writer caught up must already see the count.
        public Task<StagedCommit> StageAsync(EventBatch batch, Task previousCommit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref batches);
            return inner.StageAsync(batch, previousCommit, cancellationToken);
        }

        public Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref batches);
            return inner.HandleAsync(batch, cancellationToken);
        }
    }
}
