namespace Payments.Ledger.Domain;

/// <summary>
/// Marks a pending transfer as a payout: the settlement rail pays <paramref name="Beneficiary"/>, and only
/// its result (or the reservation's expiry) resolves the reservation.
/// </summary>
public sealed record Payout(Guid TransferId, string Ledger, string Beneficiary, DateTimeOffset ReservedAt);
