using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;

namespace Payments.Api.Payments;

/// <summary>How a payment looks to clients, built from its intent and, once decided, its outcome event.</summary>
internal static class PaymentViews
{
    /// <summary>What the intent itself says; the ledger's outcome fills in the rest.</summary>
    public static Payment Describe(IMessage intent) => intent switch
    {
        PaymentRequested p => new Payment
        {
            RequestId = p.RequestId, DebitAccountId = p.DebitAccountId, CreditAccountId = p.CreditAccountId,
            AmountMinor = p.AmountMinor, Currency = p.Currency, Beneficiary = p.Beneficiary,
            Type = p.Kind switch { PaymentKind.Hold => PaymentType.Hold, PaymentKind.Payout => PaymentType.Payout, _ => PaymentType.Transfer },
        },
        HoldCaptureRequested c => new Payment
        {
            RequestId = c.RequestId, Type = PaymentType.Capture, TargetPaymentId = c.HoldPaymentId, AmountMinor = c.AmountMinor,
        },
        HoldVoidRequested v => new Payment { RequestId = v.RequestId, Type = PaymentType.Void, TargetPaymentId = v.HoldPaymentId },
        ReversalRequested r => new Payment
        {
            RequestId = r.RequestId, Type = PaymentType.Reversal, TargetPaymentId = r.OriginalPaymentId, AmountMinor = r.AmountMinor,
        },
        _ => throw new InvalidDataException($"{intent.Descriptor.FullName} is not a payment intent."),
    };

    /// <summary>A payment just accepted: its intent, nothing decided yet.</summary>
    public static Payment Accepted(Guid id, IMessage intent, DateTimeOffset acceptedAt)
    {
        var payment = Describe(intent);
        payment.Id = id.ToString();
        payment.Status = PaymentStatus.Accepted;
        payment.CreateTime = Timestamp.FromDateTimeOffset(acceptedAt);
        payment.Steps.Add(new PaymentStep { Status = PaymentStatus.Accepted, Time = payment.CreateTime });
        return payment;
    }

    /// <summary>
    /// The payment after its first outcome: what the ledger posted (a hold is HELD, a payout RESERVED), or why it refused.
    /// False when the event is not an outcome this view understands; the caller then reads the ledger.
    /// </summary>
    public static bool TryDecide(Payment accepted, EventEnvelope outcome, out Payment decided)
    {
        decided = accepted.Clone();
        if (outcome.Carries<TransferPosted>())
        {
            var posted = outcome.Unwrap<TransferPosted>();
            decided.Status = posted.Kind != TransferKind.Pending ? PaymentStatus.Posted
                : accepted.Type == PaymentType.Payout ? PaymentStatus.Reserved
                : PaymentStatus.Held;
            decided.LedgerSequence = posted.LedgerSequence;
            decided.AmountMinor = posted.AmountMinor;
            decided.DebitAccountId = posted.DebitAccountId;
            decided.CreditAccountId = posted.CreditAccountId;
            decided.Currency = posted.Currency;
            decided.Steps.Add(new PaymentStep { Status = decided.Status, Time = Timestamp.FromDateTimeOffset(outcome.Time) });
            return true;
        }

        if (outcome.Carries<IntentRejected>())
        {
            decided.Status = PaymentStatus.Rejected;
            decided.RejectionCode = outcome.Unwrap<IntentRejected>().Code;
            decided.Steps.Add(new PaymentStep { Status = decided.Status, Time = Timestamp.FromDateTimeOffset(outcome.Time), Code = decided.RejectionCode });
            return true;
        }

        return false;
    }
}
