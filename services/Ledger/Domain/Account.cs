namespace Payments.Ledger.Domain;

/// <summary>An opened account. Immutable: lifecycle changes are recorded as new account events.</summary>
public sealed record Account(
    Guid Id,
    string Ledger,
    string Currency,
    string Owner,
    AccountLimits Limits,
    Guid OpenedByEvent,
    DateTimeOffset OpenedAt);
