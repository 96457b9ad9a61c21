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
    public static ResultCode Between(PaymentRequested recorded, PaymentRequested retried) =>
        recorded.AmountMinor != retried.AmountMinor ? ResultCode.ExistsWithDifferentAmount
        : recorded.DebitAccountId != retried.DebitAccountId ? ResultCode.ExistsWithDifferentDebitAccount
        : recorded.CreditAccountId != retried.CreditAccountId ? ResultCode.ExistsWithDifferentCreditAccount
        : recorded.Currency != retried.Currency ? ResultCode.ExistsWithDifferentCurrency
        : ResultCode.Ok;
}
