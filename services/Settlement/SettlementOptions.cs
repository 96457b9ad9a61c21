namespace Payments.Settlement;

/// <summary>How Settlement pays out: which accounts it settles into and how long it may try.</summary>
public sealed class SettlementOptions
{
    /// <summary>
    /// The settlement account of each currency (ISO 4217 code to account id): the account a payout must
    /// credit. A payout crediting any other account is refused without calling the rail.
    /// </summary>
    public Dictionary<string, Guid> Accounts { get; init; } = [];

    /// <summary>
    /// The one ledger whose payouts this Settlement settles, or empty for every ledger of its event log
    /// (one machine). In Kubernetes each LedgerCluster has its own Settlement, and clusters that share a
    /// broker share its topics: a payout of another ledger is another Settlement's to answer, not a
    /// failure of this one's.
    /// </summary>
    public string Ledger { get; init; } = string.Empty;

    /// <summary>How long one rail call may take before it counts as timed out.</summary>
    public int AttemptTimeoutMs { get; init; } = 2000;

    /// <summary>How many times a payout is tried (same idempotency key) before it fails as timed out.</summary>
    public int AttemptsMax { get; init; } = 3;

    /// <summary>The wait before the second attempt; it doubles for each further one.</summary>
    public int BackoffMs { get; init; } = 200;

    /// <summary>
    /// No rail call starts later than this before the reservation expires, so the rail never pays money
    /// the ledger has already released.
    /// </summary>
    public int SafetyMarginMs { get; init; } = 5000;

    /// <summary>How often the rail is asked again about a payout reported as timed out (<see cref="Saga.RailInquiries"/>).</summary>
    public int InquiryIntervalMs { get; init; } = 60_000;

    /// <summary>How many payouts of a batch are settled at once.</summary>
    public int Parallelism { get; init; } = 32;
}
