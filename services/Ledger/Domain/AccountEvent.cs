namespace Payments.Ledger.Domain;

/// <summary>A change of an account's status, recorded as a new row.</summary>
public sealed record AccountEvent(
    Guid ChangeId, Guid AccountId, long StatusSequence, string Ledger, AccountStatus Status, Guid EventId, string Principal, DateTimeOffset ChangedAt);
