namespace Payments.Ledger.Domain;

/// <summary>A clock tick the writer applied, recorded so that a second delivery of it has no effect.</summary>
public sealed record AppliedTick(Guid EventId, string Ledger, DateTimeOffset Now);
