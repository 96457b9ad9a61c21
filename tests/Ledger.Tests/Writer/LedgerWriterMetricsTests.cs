using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Contracts.LedgerV1;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Ledger.Tests.Writer;

/// <summary>
/// The writer retries a batch it cannot commit for as long as it takes, so a stuck writer is seen only in
/// its metrics: they count what committed, and how many batches in a row failed.
/// </summary>
public sealed class LedgerWriterMetricsTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TestDatabase database;
    private readonly ServiceProvider meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly LedgerWriterMetrics metrics;
    private readonly RecordedMeasurements recorded;

    public LedgerWriterMetricsTests(TestDatabase database)
    {
        this.database = database;
        metrics = new LedgerWriterMetrics(meters.GetRequiredService<IMeterFactory>(), new LedgerOptions { Name = Intents.Ledger });
        recorded = new RecordedMeasurements(metrics.Meter);
    }

    public void Dispose()
    {
        recorded.Dispose();
        meters.Dispose();
    }

    [Fact]
    public async Task Committed_transfers_and_refusals_are_counted_by_kind_and_reason()
    {
        await using var writer = LedgerWriterHarness.Start(database, metrics);
        var from = Intents.OpenAccount(noOverdraft: true);
        var to = Intents.OpenAccount();
        await LedgerWriterHarness.PublishAndWaitAsync(database,
            from.Event, to.Event, Intents.Pay(to.Id, from.Id, 500).Event, Intents.Pay(from.Id, to.Id, 200).Event, Intents.Pay(from.Id, to.Id, 900).Event);
        // The writer counts a batch once its commit has returned, just after the offset became visible.
        await Eventually.WaitUntilAsync(() => Task.FromResult(recorded.Sum("payments.ledger.transfers", ("kind", "POSTED")) == 2
            && recorded.Sum("payments.ledger.rejections", ("reason", ResultCode.ExceedsCredits.Reason())) == 1),
            Timeout, "two transfers and one refusal are counted");

        Assert.Equal(0, recorded.Sum("payments.ledger.writer.batches", ("outcome", "failed")));
        Assert.Equal(await database.Ledger.ScalarAsync<long>("select max(seq) from ledger.transfers"), recorded.Observe("payments.ledger.head"));
    }

    [Fact]
    public async Task A_batch_that_cannot_commit_raises_the_consecutive_failures_until_one_commits()
    {
        await using var writer = LedgerWriterHarness.Start(database, metrics);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event);

        // The database refuses the writer's transfers: the batch fails, and fails again on every retry.
        await database.Owner.ExecuteAsync("revoke insert on ledger.transfers from payments_ledger");
        try
        {
            await new EventBus.Postgres.PostgresEventPublisher(database.Ledger).PublishAsync(
                EventTopics.Payments, [Intents.Pay(from.Id, to.Id, 100).Event], CancellationToken.None);
            await Eventually.WaitUntilAsync(() => Task.FromResult(recorded.Observe("payments.ledger.writer.consecutive_failures") >= 2),
                Timeout, "the writer's failures in a row are reported");
            Assert.True(recorded.Sum("payments.ledger.writer.batches", ("outcome", "failed")) >= 2);
        }
        finally
        {
            await database.Owner.ExecuteAsync("grant insert on ledger.transfers to payments_ledger");
        }

        // The writer counts the commit once it has returned, just after the offset became visible.
        await LedgerWriterHarness.WaitCaughtUpAsync(database);
        await Eventually.WaitUntilAsync(() => Task.FromResult(recorded.Observe("payments.ledger.writer.consecutive_failures") == 0),
            Timeout, "the committed batch resets the failures in a row");
    }

    /// <summary>Every measurement of one meter's instruments, and their gauges read on demand.</summary>
    private sealed class RecordedMeasurements : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> measurements = new();
        private readonly Lock observing = new();

        public RecordedMeasurements(Meter meter)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray())));
            listener.Start();
        }

        public long Sum(string instrument, (string Key, string Value) tag) => measurements
            .Where(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == tag.Key && Equals(t.Value, tag.Value)))
            .Sum(m => m.Value);

        // Gauges report when collected: collect, then take the latest value.
        public long Observe(string instrument)
        {
            lock (observing)
            {
                var before = measurements.Count;
                listener.RecordObservableInstruments();
                return measurements.Skip(before).Last(m => m.Instrument == instrument).Value;
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
