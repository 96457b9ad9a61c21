using Payments.Audit.Checks;

namespace Payments.Audit.Reports;

/// <summary>Everything one audit run found: the machine-readable report, and what the HTML page shows.</summary>
public sealed record AuditReport(
    Guid RunId,
    string Ledger,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Principal,
    string DatabaseUser,
    bool Passed,
    long TransfersScanned,
    long EntriesScanned,
    long HeadSequence,
    string HeadHash,
    IReadOnlyList<CheckResult> Checks,
    IReadOnlyList<CurrencySummary> Currencies)
{
    /// <summary>The checkpoint that anchored this run (the latest one verified), if any.</summary>
    public CheckpointSummary? AnchoredAt { get; init; }

    /// <summary>The checkpoint this run signed after passing, if any.</summary>
    public CheckpointSummary? Signed { get; init; }

    /// <summary>Wall-clock time of the run, in seconds.</summary>
    public double DurationSeconds => (FinishedAt - StartedAt).TotalSeconds;

    /// <summary>Entries scanned per second of the whole run.</summary>
    public double EntriesPerSecond => DurationSeconds > 0 ? EntriesScanned / DurationSeconds : 0;

    /// <summary>How many checks failed.</summary>
    public int FailedChecks => Checks.Count(c => c.Status == CheckStatus.Failed);
}

/// <summary>A checkpoint as reports show it.</summary>
public sealed record CheckpointSummary(Guid Id, long Sequence, string HeadHash, string KeyId, DateTimeOffset SignedAt);
