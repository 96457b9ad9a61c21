using System.Diagnostics.Metrics;
using Payments.Contracts;
using Payments.Ledger.Storage;

namespace Payments.Ledger.Writer;

/// <summary>
/// What the writer reports to OpenTelemetry (meter <c>Payments.Ledger</c>, every instrument tagged with
/// the ledger's name). The writer retries a batch it cannot commit until it can, by design, so a batch
/// that never will (a poison batch, a database refusing writes) shows only here:
/// <c>payments.ledger.writer.consecutive_failures</c> stays above zero and the head stops moving.
/// </summary>
internal sealed class LedgerWriterMetrics
{
    /// <summary>The meter's name, which the services' telemetry exports (it matches <c>Payments.*</c>).</summary>
    public const string MeterName = "Payments.Ledger";

    private readonly KeyValuePair<string, object?> ledger;
    private readonly Counter<long> transfers;
    private readonly Counter<long> rejections;
    private readonly Counter<long> batches;
    private long consecutiveFailures;
    private long head;

    /// <summary>The writer's instruments on a meter of <paramref name="meters"/>.</summary>
    public LedgerWriterMetrics(IMeterFactory meters, LedgerOptions options)
        : this(meters.Create(MeterName), options.Name)
    {
    }

    private LedgerWriterMetrics(Meter meter, string ledgerName)
    {
        Meter = meter;
        ledger = new("payments.ledger", ledgerName);
        transfers = meter.CreateCounter<long>("payments.ledger.transfers", "{transfer}", "Transfers committed, by kind.");
        rejections = meter.CreateCounter<long>("payments.ledger.rejections", "{intent}", "Intents refused, by reason.");
        batches = meter.CreateCounter<long>("payments.ledger.writer.batches", "{batch}", "Batches committed or failed.");
        meter.CreateObservableGauge("payments.ledger.writer.consecutive_failures", () => new Measurement<long>(Interlocked.Read(ref consecutiveFailures), ledger),
            "{batch}", "Batches failed since the last one committed; above zero for long, the writer is stuck.");
        meter.CreateObservableGauge("payments.ledger.head", () => new Measurement<long>(Interlocked.Read(ref head), ledger),
            "{transfer}", "The sequence of the ledger's last transfer this writer committed.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>Instruments on a meter of their own, for a writer that replays (the rebuild, the benchmark), not the live one.</summary>
    public static LedgerWriterMetrics ForReplay(string ledgerName) => new(new Meter(MeterName + ".Replay"), ledgerName);

    /// <summary>A batch committed with <paramref name="changes"/> (null when it held nothing for this ledger).</summary>
    public void Committed(LedgerChanges? changes)
    {
        Interlocked.Exchange(ref consecutiveFailures, 0);
        batches.Add(1, ledger, new("outcome", "committed"));
        if (changes is null)
        {
            return;
        }

        if (changes.Transfers.Count > 0)
        {
            Interlocked.Exchange(ref head, changes.Transfers[^1].Sequence);
        }

        foreach (var transfer in changes.Transfers)
        {
            transfers.Add(1, ledger, new("kind", StoredNames.Of(transfer.Kind)));
        }

        foreach (var rejection in changes.Rejections)
        {
            rejections.Add(1, ledger, new("reason", rejection.Code.Reason()));
        }
    }

    /// <summary>A batch failed to be decided or committed; it will be delivered again.</summary>
    public void Failed(Exception exception)
    {
        Interlocked.Increment(ref consecutiveFailures);
        batches.Add(1, ledger, new("outcome", "failed"), new("error.type", exception.GetType().FullName));
    }
}
