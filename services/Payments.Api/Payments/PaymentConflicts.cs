using Google.Protobuf;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;

namespace Payments.Api.Payments;

/// <summary>
/// AIP-155: a retry must carry the same payload as the request that first used its request_id. The
/// first field that differs names the conflict; identical payloads are a plain retry.
/// </summary>
internal static class PaymentConflicts
{
    /// <summary>The conflict between the recorded and the retried intent, or <see cref="ResultCode.Ok"/>.</summary>
    public static ResultCode Between(IMessage recorded, IMessage retried) => (recorded, retried) switch
    {
        (PaymentRequested a, PaymentRequested b) =>
            a.AmountMinor != b.AmountMinor ? ResultCode.ExistsWithDifferentAmount
            : a.DebitAccountId != b.DebitAccountId ? ResultCode.ExistsWithDifferentDebitAccount
            : a.CreditAccountId != b.CreditAccountId ? ResultCode.ExistsWithDifferentCreditAccount
            : a.Currency != b.Currency ? ResultCode.ExistsWithDifferentCurrency
            : a.Kind != b.Kind || a.HoldTimeoutMs != b.HoldTimeoutMs || a.Beneficiary != b.Beneficiary ? ResultCode.ExistsWithDifferentFields
            : ResultCode.Ok,
        (HoldCaptureRequested a, HoldCaptureRequested b) =>
            a.AmountMinor != b.AmountMinor ? ResultCode.ExistsWithDifferentAmount
            : a.HoldPaymentId != b.HoldPaymentId ? ResultCode.ExistsWithDifferentFields
            : ResultCode.Ok,
        (HoldVoidRequested a, HoldVoidRequested b) =>
            a.HoldPaymentId != b.HoldPaymentId ? ResultCode.ExistsWithDifferentFields : ResultCode.Ok,
        (ReversalRequested a, ReversalRequested b) =>
            a.AmountMinor != b.AmountMinor ? ResultCode.ExistsWithDifferentAmount
            : a.OriginalPaymentId != b.OriginalPaymentId ? ResultCode.ExistsWithDifferentFields
            : ResultCode.Ok,
        _ => ResultCode.ExistsWithDifferentFields,
    };
}
