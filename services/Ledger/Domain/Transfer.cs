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
    byte[] Hash);
