namespace Payments.Audit.Scan;

/// <summary>How much the scan read, up to which head.</summary>
internal sealed record ScanTotals(long Transfers, long Entries, long HeadSequence);
