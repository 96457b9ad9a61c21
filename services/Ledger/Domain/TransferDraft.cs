namespace Payments.Ledger.Domain;

/// <summary>
/// A validated transfer before it has a place in the chain: which accounts, which kind, how much posts
/// and how much of a hold it releases.
/// </summary>
/// <param name="AmountMinor">The entries' amount: what posts, or what a hold reserves or releases.</param>
/// <param name="PendingReleasedMinor">For POST_PENDING: the whole held amount the post releases.</param>
public sealed record TransferDraft(
    Guid Id,
    string Ledger,
    TransferKind Kind,
    Guid DebitAccountId,
    Guid CreditAccountId,
    long AmountMinor,
    long PendingReleasedMinor,
    string Currency,
    Guid EventId,
    string? TraceId,
    string Principal,
    DateTimeOffset CreatedAt)
{
    /// <summary>For POST_PENDING and VOID_PENDING: the hold resolved.</summary>
    public Guid? PendingId { get; init; }

    /// <summary>For REVERSAL: the transfer reversed.</summary>
    public Guid? ReversalOfId { get; init; }

    /// <summary>For PENDING: when the hold expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>For VOID_PENDING: the hold expired.</summary>
    public bool Expired { get; init; }

    /// <summary>How the kind changes each side: (posted delta, pending delta).</summary>
    public (long Posted, long Pending) Delta => Kind switch
    {
        TransferKind.Posted or TransferKind.Reversal => (AmountMinor, 0),
        TransferKind.Pending => (0, AmountMinor),
        TransferKind.PostPending => (AmountMinor, -PendingReleasedMinor),
        TransferKind.VoidPending => (0, -AmountMinor),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };
}
