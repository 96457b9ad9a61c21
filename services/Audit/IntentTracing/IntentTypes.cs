using Payments.Contracts.EventsV1;

namespace Payments.Audit.IntentTracing;

/// <summary>
/// Every event type of the intents topic the ledger acts on: the one list the intent and outcome checks are
/// built from. A new intent (a payout's settlement result, say) is one more line here; an event type missing
/// from the list makes every ledger row it causes show up as an outcome without an intent, so a forgotten
/// line cannot go unnoticed.
/// </summary>
public static class IntentTypes
{
    /// <summary>The intent types, each with where its outcome id lives.</summary>
    public static IReadOnlyList<IntentType> All { get; } =
    [
        IntentType.WithOutcome(PaymentRequested.Descriptor, PaymentRequested.PaymentIdFieldNumber),
        IntentType.WithOutcome(HoldCaptureRequested.Descriptor, HoldCaptureRequested.PaymentIdFieldNumber),
        IntentType.WithOutcome(HoldVoidRequested.Descriptor, HoldVoidRequested.PaymentIdFieldNumber),
        IntentType.WithOutcome(ReversalRequested.Descriptor, ReversalRequested.PaymentIdFieldNumber),
        IntentType.WithOutcome(AccountOpeningRequested.Descriptor, AccountOpeningRequested.AccountIdFieldNumber),
        IntentType.WithOutcome(AccountStatusChangeRequested.Descriptor, AccountStatusChangeRequested.ChangeIdFieldNumber),
        // Ticks expire holds; each release is a transfer of its own, caused by the tick (ADR 0007).
        IntentType.WithoutOwnOutcome(LedgerClockTicked.Descriptor),
    ];
}
