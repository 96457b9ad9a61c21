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
            if (envelope.Carries<PaymentRequested>())
            {
                return DecodePayment(envelope, envelope.Unwrap<PaymentRequested>());
            }

            if (envelope.Carries<AccountOpeningRequested>())
            {
                var request = envelope.Unwrap<AccountOpeningRequested>();
                return TryParseId(request.AccountId, out var accountId)
                    ? new OpenAccountIntent(envelope, accountId, request)
                    : Malformed(envelope, envelope.Id, request.Principal);
            }
        }
        catch (InvalidProtocolBufferException)
        {
            return Malformed(envelope, envelope.Id, string.Empty);
        }

        return null;
    }

    private static Intent DecodePayment(EventEnvelope envelope, PaymentRequested request)
    {
        if (!TryParseId(request.PaymentId, out var paymentId))
        {
            return Malformed(envelope, envelope.Id, request.Principal);
        }

        return TryParseId(request.DebitAccountId, out var debit) && TryParseId(request.CreditAccountId, out var credit)
            ? new PaymentIntent(envelope, paymentId, request, debit, credit)
            : Malformed(envelope, paymentId, request.Principal);
    }

    private static MalformedIntent Malformed(EventEnvelope envelope, Guid intentId, string principal) =>
        new(envelope, intentId, ResultCode.IntentMalformed, principal);

    private static bool TryParseId(string value, out Guid id) => Guid.TryParseExact(value, "D", out id);
}
