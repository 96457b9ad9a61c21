using Google.Protobuf;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;

namespace Payments.Ledger.Writer;

/// <summary>Reads the intents topic's envelopes into <see cref="Intent"/>s for one ledger.</summary>
internal static class IntentDecoder
{
    /// <summary>
    /// The intent <paramref name="envelope"/> carries for <paramref name="ledger"/>, or null when the
    /// event belongs to another ledger or is of a type the ledger does not act on.
    /// </summary>
    public static Intent? Decode(EventEnvelope envelope, string ledger)
    {
        if (envelope.PartitionKey != ledger)
        {
            return null;
        }

        try
        {
            return envelope.Type switch
            {
                _ when envelope.Carries<PaymentRequested>() => DecodePayment(envelope, envelope.Unwrap<PaymentRequested>()),
                _ when envelope.Carries<HoldCaptureRequested>() => DecodeCapture(envelope, envelope.Unwrap<HoldCaptureRequested>()),
                _ when envelope.Carries<HoldVoidRequested>() => DecodeVoid(envelope, envelope.Unwrap<HoldVoidRequested>()),
                _ when envelope.Carries<ReversalRequested>() => DecodeReversal(envelope, envelope.Unwrap<ReversalRequested>()),
                _ when envelope.Carries<AccountOpeningRequested>() => DecodeOpening(envelope, envelope.Unwrap<AccountOpeningRequested>()),
                _ when envelope.Carries<AccountStatusChangeRequested>() => DecodeStatus(envelope, envelope.Unwrap<AccountStatusChangeRequested>()),
                _ when envelope.Carries<SettlementSucceeded>() => DecodeSucceeded(envelope, envelope.Unwrap<SettlementSucceeded>()),
                _ when envelope.Carries<SettlementFailed>() => DecodeFailed(envelope, envelope.Unwrap<SettlementFailed>()),
                _ when envelope.Carries<LedgerClockTicked>() => new ClockTick(envelope,
                    DateTimeOffset.FromUnixTimeMilliseconds(envelope.Unwrap<LedgerClockTicked>().NowUnixMs)),
                _ => null,
            };
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or ArgumentOutOfRangeException)
        {
            return Malformed(envelope, envelope.Id, string.Empty);
        }
    }

    private static Intent DecodePayment(EventEnvelope envelope, PaymentRequested request) =>
        !TryParseId(request.PaymentId, out var id) ? Malformed(envelope, envelope.Id, request.Principal)
        : TryParseId(request.DebitAccountId, out var debit) && TryParseId(request.CreditAccountId, out var credit)
            ? new PaymentIntent(envelope, id, request, debit, credit)
            : Malformed(envelope, id, request.Principal);

    private static Intent DecodeCapture(EventEnvelope envelope, HoldCaptureRequested request) =>
        !TryParseId(request.PaymentId, out var id) ? Malformed(envelope, envelope.Id, request.Principal)
        : TryParseId(request.HoldPaymentId, out var hold) ? new CaptureIntent(envelope, id, request, hold)
        : Malformed(envelope, id, request.Principal);

    private static Intent DecodeVoid(EventEnvelope envelope, HoldVoidRequested request) =>
        !TryParseId(request.PaymentId, out var id) ? Malformed(envelope, envelope.Id, request.Principal)
        : TryParseId(request.HoldPaymentId, out var hold) ? new VoidIntent(envelope, id, request, hold)
        : Malformed(envelope, id, request.Principal);

    private static Intent DecodeReversal(EventEnvelope envelope, ReversalRequested request) =>
        !TryParseId(request.PaymentId, out var id) ? Malformed(envelope, envelope.Id, request.Principal)
        : TryParseId(request.OriginalPaymentId, out var original) ? new ReversalIntent(envelope, id, request, original)
        : Malformed(envelope, id, request.Principal);

    private static Intent DecodeOpening(EventEnvelope envelope, AccountOpeningRequested request) =>
        TryParseId(request.AccountId, out var id) ? new OpenAccountIntent(envelope, id, request)
        : Malformed(envelope, envelope.Id, request.Principal);

    private static Intent DecodeStatus(EventEnvelope envelope, AccountStatusChangeRequested request) =>
        !TryParseId(request.ChangeId, out var id) ? Malformed(envelope, envelope.Id, request.Principal)
        : TryParseId(request.AccountId, out var account) && request.Status is AccountStatus.Active or AccountStatus.Frozen or AccountStatus.Closed
            ? new AccountStatusIntent(envelope, id, request, account)
            : Malformed(envelope, id, request.Principal);

    private static Intent DecodeSucceeded(EventEnvelope envelope, SettlementSucceeded result) =>
        TryParseId(result.PaymentId, out var payout) ? new SettlementIntent(envelope, payout, result.Ledger, ResultCode.Ok)
        : Malformed(envelope, envelope.Id, string.Empty);

    // A failure must read as one even when it carries no code (or OK) by mistake: never post on doubt.
    private static Intent DecodeFailed(EventEnvelope envelope, SettlementFailed result) =>
        TryParseId(result.PaymentId, out var payout)
            ? new SettlementIntent(envelope, payout, result.Ledger,
                result.Code is ResultCode.Ok or ResultCode.Unspecified ? ResultCode.SettlementDeclined : result.Code)
            : Malformed(envelope, envelope.Id, string.Empty);

    private static MalformedIntent Malformed(EventEnvelope envelope, Guid intentId, string principal) =>
        new(envelope, intentId, ResultCode.IntentMalformed, principal);

    private static bool TryParseId(string value, out Guid id) => Guid.TryParseExact(value, "D", out id);
}
