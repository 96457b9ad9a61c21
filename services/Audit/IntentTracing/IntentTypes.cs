using Payments.Contracts.EventsV1;
using Payments.Ledger.Writer;

namespace Payments.Audit.IntentTracing;

/// <summary>
/// Every event type of the intents topic the ledger acts on: the one list the intent and outcome checks are
/// built from. A new intent is one more line here; an event type missing from the list makes every ledger
/// row it causes show up as an outcome without an intent, so a forgotten line cannot go unnoticed.
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
        // A payout's first settlement result decides it, under an id derived from the payout (ADR 0009).
        IntentType.WithDerivedOutcome(SettlementSucceeded.Descriptor, SettlementSucceeded.PaymentIdFieldNumber, SettlementIntent.IdFor),
        IntentType.WithDerivedOutcome(SettlementFailed.Descriptor, SettlementFailed.PaymentIdFieldNumber, SettlementIntent.IdFor),
        // A tick is recorded in ledger.clock_ticks under its event id; the holds it expires are released by
        // transfers of their own (ADR 0007).
        IntentType.WithOutcomeUnderEventId(LedgerClockTicked.Descriptor) with { ReleasesExpiredHolds = true },
    ];

    /// <summary>The intent type named by a CloudEvents <c>type</c>.</summary>
    public static IntentType Of(string eventType) => ByEventType[eventType];

    private static readonly Dictionary<string, IntentType> ByEventType = All.ToDictionary(t => t.EventType, StringComparer.Ordinal);
}
