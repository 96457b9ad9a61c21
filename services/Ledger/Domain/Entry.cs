namespace Payments.Ledger.Domain;

/// <summary>One side of a transfer on one account, with the account's balances right after it.</summary>
public sealed record Entry(
    Guid AccountId,
    long AccountSequence,
    Guid TransferId,
    string Ledger,
    long LedgerSequence,
    EntryDirection Direction,
    long AmountMinor,
    string Currency,
    Balances BalancesAfter,
    DateTimeOffset CreatedAt);
