using Payments.Ledger.Domain;

namespace Payments.Audit.Scan;

/// <summary>A row of <c>ledger.transfers</c> exactly as stored, before its entries are attached.</summary>
internal sealed record TransferRow(
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
    byte[] PrevHash,
    byte[] Hash,
    Guid? PendingId,
    Guid? ReversalOfId,
    DateTimeOffset? ExpiresAt,
    bool Expired);
