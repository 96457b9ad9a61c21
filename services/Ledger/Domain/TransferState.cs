namespace Payments.Ledger.Domain;

/// <summary>What the ledger needs to know about a committed transfer that a later intent refers to.</summary>
/// <param name="Resolution">For holds: what became of them.</param>
/// <param name="ReversedMinor">For posted transfers: how much reversals have moved back so far.</param>
public sealed record TransferState(
    Guid Id,
    string Ledger,
    TransferKind Kind,
    Guid DebitAccountId,
    Guid CreditAccountId,
    long AmountMinor,
    string Currency,
    long Sequence,
    DateTimeOffset? ExpiresAt,
    HoldResolution Resolution,
    long ReversedMinor)
{
    /// <summary>True for a payout's reservation, which only its settlement result may resolve.</summary>
    public bool IsPayout { get; init; }

    /// <summary>The state of a freshly committed transfer.</summary>
    public static TransferState Of(Transfer transfer) => new(transfer.Id, transfer.Ledger, transfer.Kind,
        transfer.DebitAccountId, transfer.CreditAccountId, transfer.AmountMinor, transfer.Currency, transfer.Sequence,
        transfer.ExpiresAt, HoldResolution.Open, 0);

    /// <summary>True for a hold that still reserves funds and has expired by <paramref name="now"/>.</summary>
    public bool IsOpenHoldExpiredAt(DateTimeOffset now) =>
        Kind == TransferKind.Pending && Resolution == HoldResolution.Open && ExpiresAt <= now;
}
