using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;

namespace Payments.Ledger.Writer;

/// <summary>An event of the intents topic, decoded once, with the id its outcome is recorded under.</summary>
internal abstract record Intent(EventEnvelope Envelope, Guid IntentId)
{
    /// <summary>The accounts whose state the ledger needs to decide this intent directly.</summary>
    public virtual IEnumerable<Guid> AccountIds => [];

    /// <summary>The committed transfers this intent refers to (a hold to resolve, a transfer to reverse).</summary>
    public virtual IEnumerable<Guid> TransferIds => [];
}

/// <summary>A request to open an account.</summary>
internal sealed record OpenAccountIntent(EventEnvelope Envelope, Guid IntentId, AccountOpeningRequested Request)
    : Intent(Envelope, IntentId)
{
    public override IEnumerable<Guid> AccountIds => [IntentId];

    /// <summary>The account this request opens in <paramref name="ledger"/>, as the writer records it (the audit compares with it).</summary>
    public Domain.Account ToAccount(string ledger) => new(IntentId, ledger, Request.Currency, Request.Owner,
        (Request.Flags?.DebitsMustNotExceedCredits == true ? Domain.AccountLimits.DebitsMustNotExceedCredits : Domain.AccountLimits.None)
        | (Request.Flags?.CreditsMustNotExceedDebits == true ? Domain.AccountLimits.CreditsMustNotExceedDebits : Domain.AccountLimits.None),
        Envelope.Id, Envelope.Time);
}

/// <summary>A request to freeze, unfreeze or close an account.</summary>
internal sealed record AccountStatusIntent(EventEnvelope Envelope, Guid IntentId, AccountStatusChangeRequested Request, Guid AccountId)
    : Intent(Envelope, IntentId)
{
    public override IEnumerable<Guid> AccountIds => [AccountId];
}

/// <summary>A request to move money at once or to hold it.</summary>
internal sealed record PaymentIntent(
    EventEnvelope Envelope, Guid IntentId, PaymentRequested Request, Guid DebitAccountId, Guid CreditAccountId)
    : Intent(Envelope, IntentId)
{
    public override IEnumerable<Guid> AccountIds => [DebitAccountId, CreditAccountId];
}

/// <summary>A request to post (capture) a hold.</summary>
internal sealed record CaptureIntent(EventEnvelope Envelope, Guid IntentId, HoldCaptureRequested Request, Guid HoldId)
    : Intent(Envelope, IntentId)
{
    public override IEnumerable<Guid> TransferIds => [HoldId];
}

/// <summary>A request to void a hold.</summary>
internal sealed record VoidIntent(EventEnvelope Envelope, Guid IntentId, HoldVoidRequested Request, Guid HoldId)
    : Intent(Envelope, IntentId)
{
    public override IEnumerable<Guid> TransferIds => [HoldId];
}

/// <summary>A request to reverse a posted transfer.</summary>
internal sealed record ReversalIntent(EventEnvelope Envelope, Guid IntentId, ReversalRequested Request, Guid OriginalId)
    : Intent(Envelope, IntentId)
{
    // When the original is a payout, what is reversed is the transfer its settlement posted.
    public override IEnumerable<Guid> TransferIds => [OriginalId, SettlementIntent.IdFor(OriginalId)];
}

/// <summary>
/// A settlement rail's result for a payout: post its reservation when the rail paid, void it when not.
/// Its id derives from the payout alone, so the first result decides and any later one is a no-op.
/// </summary>
internal sealed record SettlementIntent(EventEnvelope Envelope, Guid PayoutId, string Ledger, ResultCode FailureCode)
    : Intent(Envelope, IdFor(PayoutId))
{
    /// <summary>The intent id under which a payout's settlement result is recorded.</summary>
    public static Guid IdFor(Guid payoutId) => IntentIds.Event(payoutId, "settlement");

    /// <summary>True when the rail paid.</summary>
    public bool Succeeded => FailureCode == ResultCode.Ok;

    public override IEnumerable<Guid> TransferIds => [PayoutId];
}

/// <summary>The ledger's clock: expires holds due at <see cref="Now"/>. Recorded in ledger.clock_ticks, so a second delivery has no effect.</summary>
internal sealed record ClockTick(EventEnvelope Envelope, DateTimeOffset Now) : Intent(Envelope, Envelope.Id)
{
    /// <summary>
    /// The most holds one tick releases, the first by (expiry, sequence): so a tick after a long outage,
    /// or a million holds sharing one expiry, stays one batch-sized transaction. The clock ticks again
    /// while holds are due, so the rest follow. Part of the ledger's rules: replay must use the same number.
    /// </summary>
    public const int ReleasesMax = 10_000;
}

/// <summary>An event that names an intent type but cannot be read as one; it is rejected, not skipped.</summary>
internal sealed record MalformedIntent(EventEnvelope Envelope, Guid IntentId, ResultCode Code, string Principal)
    : Intent(Envelope, IntentId);
