using Payments.Audit.Checks;

namespace Payments.Audit.Scan;

/// <summary>A check that draws its verdict from the ordered scan alone.</summary>
internal abstract class ScanCheck(string name, string title) : ScanObserver
{
    /// <summary>What this check found so far.</summary>
    protected Findings Findings { get; } = new(name, title);

    /// <summary>The verdict once the scan has ended.</summary>
    public abstract CheckResult Finish(ScanTotals totals);

    /// <summary>How a transfer is named in findings.</summary>
    protected static string At(TransferRow row) => $"seq {row.Sequence} (transfer {row.Id})";

    /// <summary>How an entry is named in findings.</summary>
    protected static string At(Payments.Ledger.Domain.Entry entry) => $"account {entry.AccountId} #{entry.AccountSequence} (seq {entry.LedgerSequence})";
}
