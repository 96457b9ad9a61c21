namespace Payments.Audit.Reports;

/// <summary>One currency's figures over the scanned ledger, with a downsampled history for the chart.</summary>
/// <param name="VolumeMinor">Everything posted (posts, captures, reversals), in minor units.</param>
/// <param name="HeldMinor">At the head: the sum of every account's positive posted balance.</param>
/// <param name="PendingMinor">At the head: everything still reserved by open holds.</param>
public sealed record CurrencySummary(
    string Currency, long Transfers, long Accounts, decimal VolumeMinor, decimal HeldMinor, decimal PendingMinor, IReadOnlyList<TimelinePoint> Timeline);

/// <summary>The state of one currency right after a transfer.</summary>
public sealed record TimelinePoint(DateTimeOffset At, long Sequence, decimal VolumeMinor, decimal HeldMinor, decimal PendingMinor);
