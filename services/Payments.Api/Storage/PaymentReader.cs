using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;

namespace Payments.Api.Storage;

/// <summary>
/// Reads payments with the API's read-only role: the first intent about the payment id from the event
/// log, and the ledger's outcome: its transfer or rejection, what became of a hold, how much was reversed.
/// The API has no privilege to write either table directly; it appends intents only through the log.
/// </summary>
internal sealed class PaymentReader(NpgsqlDataSource dataSource)
{
    /// <summary>The payment with id <paramref name="paymentId"/>, or null if no such intent was accepted.</summary>
    public async Task<PaymentRecord?> FindAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select e.type, e.data::text, e.time,
                   t.kind, t.seq, t.amount_minor, t.debit_account_id, t.credit_account_id, t.currency,
                   r.code,
                   h.kind, h.expired, h.amount_minor,
                   coalesce((select sum(x.amount_minor) from ledger.transfers x where x.reversal_of = $1), 0)::bigint
            from eventlog.events e
            left join ledger.transfers t on t.id = $1
            left join ledger.rejections r on r.intent_id = $1
            left join ledger.transfers h on h.pending_id = $1
            where e.topic = $2 and e.subject = $3
            order by e.seq
            limit 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = paymentId });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        command.Parameters.Add(new NpgsqlParameter { Value = paymentId.ToString() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var intent = Parse(reader.GetString(0), reader.GetString(1));
        var payment = Describe(intent);
        payment.Id = paymentId.ToString();
        payment.CreateTime = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(2));
        payment.ReversedAmountMinor = reader.GetInt64(13);
        if (!reader.IsDBNull(9))
        {
            payment.Status = PaymentStatus.Rejected;
            payment.RejectionCode = ResultCodeReasons.FromReason(reader.GetString(9));
        }
        else if (!reader.IsDBNull(3))
        {
            payment.LedgerSequence = reader.GetInt64(4);
            payment.AmountMinor = reader.GetInt64(5);
            payment.DebitAccountId = reader.GetGuid(6).ToString();
            payment.CreditAccountId = reader.GetGuid(7).ToString();
            payment.Currency = reader.GetString(8);
            payment.Status = StatusOf(reader.GetString(3), reader.IsDBNull(10) ? null : reader.GetString(10), !reader.IsDBNull(11) && reader.GetBoolean(11));
            payment.CapturedAmountMinor = payment.Status == PaymentStatus.Posted && payment.Type == PaymentType.Hold ? reader.GetInt64(12) : 0;
        }
        else
        {
            payment.Status = PaymentStatus.Accepted;
        }

        return new PaymentRecord { Intent = intent, Payment = payment };
    }

    private static PaymentStatus StatusOf(string kind, string? resolvedBy, bool expired) => (kind, resolvedBy) switch
    {
        ("PENDING", null) => PaymentStatus.Held,
        ("PENDING", "POST_PENDING") => PaymentStatus.Posted,
        ("PENDING", _) => expired ? PaymentStatus.Expired : PaymentStatus.Voided,
        _ => PaymentStatus.Posted,
    };

    private static IMessage Parse(string type, string data) => type switch
    {
        _ when type == PaymentRequested.Descriptor.FullName => ProtoEvents.ParseData<PaymentRequested>(data),
        _ when type == HoldCaptureRequested.Descriptor.FullName => ProtoEvents.ParseData<HoldCaptureRequested>(data),
        _ when type == HoldVoidRequested.Descriptor.FullName => ProtoEvents.ParseData<HoldVoidRequested>(data),
        _ when type == ReversalRequested.Descriptor.FullName => ProtoEvents.ParseData<ReversalRequested>(data),
        _ => throw new InvalidDataException($"Event type {type} is not a payment intent."),
    };

    // What the intent itself says; the ledger's transfer, once there, fills in the rest.
    private static Payment Describe(IMessage intent) => intent switch
    {
        PaymentRequested p => new Payment
        {
            RequestId = p.RequestId, DebitAccountId = p.DebitAccountId, CreditAccountId = p.CreditAccountId,
            AmountMinor = p.AmountMinor, Currency = p.Currency,
            Type = p.Kind == PaymentKind.Hold ? PaymentType.Hold : PaymentType.Transfer,
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
}
