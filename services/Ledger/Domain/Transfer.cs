namespace Payments.Ledger.Domain;

/// <summary>A committed transfer, its two entries, and its place in the ledger's hash chain.</summary>
public sealed record Transfer(
    Guid Id,
    string Ledger,
    long Sequence,
    Guid DebitAccountId,
    Guid CreditAccountId,
    long AmountMinor,
    string Currency,
    TransferKind Kind,
    Guid EventId,
    string? TraceId,
    string Principal,
    DateTimeOffset CreatedAt,
    Entry Debit,
    Entry Credit,
    byte[] PrevHash,
    byte[] Hash)
{
    /// <summary>For POST_PENDING and VOID_PENDING: the hold resolved.</summary>
    public Guid? PendingId { get; init; }

    /// <summary>For REVERSAL: the transfer reversed.</summary>
    public Guid? ReversalOfId { get; init; }

    /// <summary>For PENDING: when the hold expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>For VOID_PENDING: the hold expired rather than being voided on request.</summary>
    public bool Expired { get; init; }
}
