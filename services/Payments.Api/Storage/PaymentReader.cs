using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using Payments.Api.Payments;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
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
    private static readonly string[] PaymentIntentTypes =
    [
        PaymentRequested.Descriptor.FullName, HoldCaptureRequested.Descriptor.FullName,
        HoldVoidRequested.Descriptor.FullName, ReversalRequested.Descriptor.FullName,
    ];

    /// <summary>The payment with id <paramref name="paymentId"/>, or null if no such intent was accepted.</summary>
    public async Task<PaymentRecord?> FindAsync(Guid paymentId, CancellationToken cancellationToken) =>
        (await FindManyAsync([paymentId], cancellationToken)).GetValueOrDefault(paymentId);

    /// <summary>The payments among <paramref name="paymentIds"/> that were accepted, by id.</summary>
    public async Task<Dictionary<Guid, PaymentRecord>> FindManyAsync(IReadOnlyCollection<Guid> paymentIds, CancellationToken cancellationToken)
    {
        // The first intent about each id: a later event with the same subject never replaces it.
        var records = await QueryAsync($"""
            select distinct on (subject) * from eventlog.events
            where topic = '{EventTopics.Payments}' and type = any($1) and subject = any($2)
            order by subject, seq
            """, [paymentIds.Select(id => id.ToString()).ToArray()], cancellationToken);
        return records.ToDictionary(r => Guid.Parse(r.Payment.Id));
    }

    /// <summary>Up to <paramref name="limit"/> payments of <paramref name="principal"/> accepted after log position <paramref name="afterSequence"/>.</summary>
    public Task<List<PaymentRecord>> ListAsync(string principal, long afterSequence, int limit, CancellationToken cancellationToken) =>
        // The topic is a literal, not a parameter, so that even a generic plan can use the partial index.
        // Only a payment's first intent counts: a refused retry under its id is not another payment.
        QueryAsync($"""
            select * from eventlog.events e0
            where topic = '{EventTopics.Payments}' and type = any($1) and data ->> 'principal' = $2 and seq > $3
              and not exists (select 1 from eventlog.events f
                              where f.topic = '{EventTopics.Payments}' and f.subject = e0.subject and f.seq < e0.seq)
            order by seq
            limit $4
            """, [principal, afterSequence, limit], cancellationToken);

    // One query shape for every read: intents from "source", joined with what the ledger made of them.
    private async Task<List<PaymentRecord>> QueryAsync(string source, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($$"""
            select e.seq, e.subject, e.type, e.data::text, e.time,
                   t.kind, t.seq, t.amount_minor, t.debit_account_id, t.credit_account_id, t.currency,
                   r.code, h.kind, h.expired, h.amount_minor,
                   coalesce((select sum(x.amount_minor) from ledger.transfers x
                             where x.reversal_of = t.id
                                or (x.reversal_of = h.id and exists (select 1 from ledger.payouts p where p.transfer_id = t.id))), 0)::bigint,
                   t.created_at, r.rejected_at, h.created_at, c.type, c.data::text, h.seq
            from ({{source}}) e
            cross join lateral (select case when e.subject ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                            then e.subject::uuid end as id) s
            left join ledger.transfers t on t.id = s.id
            left join ledger.rejections r on r.intent_id = s.id
            left join ledger.transfers h on h.pending_id = t.id
            left join eventlog.events c on c.topic = '{{EventTopics.Payments}}' and c.id = h.event_id and not h.expired
            order by e.seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = PaymentIntentTypes });
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var records = new List<PaymentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    // Every step is a recorded event: the intent (ACCEPTED), the ledger's decision (a transfer or a
    // rejection), and for holds and payouts the transfer that resolved the reservation.
    private static PaymentRecord Read(NpgsqlDataReader reader)
    {
        var intent = Parse(reader.GetString(2), reader.GetString(3));
        var payment = PaymentViews.Describe(intent);
        payment.Id = reader.GetString(1);
        payment.CreateTime = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(4));
        payment.ReversedAmountMinor = reader.GetInt64(15);
        payment.Status = PaymentStatus.Accepted;
        AddStep(payment, PaymentStatus.Accepted, reader, 4);
        if (!reader.IsDBNull(11))
        {
            payment.RejectionCode = ResultCodeReasons.FromReason(reader.GetString(11));
            AddStep(payment, PaymentStatus.Rejected, reader, 17, payment.RejectionCode);
        }
        else if (!reader.IsDBNull(5))
        {
            payment.LedgerSequence = reader.GetInt64(6);
            payment.AmountMinor = reader.GetInt64(7);
            payment.DebitAccountId = reader.GetGuid(8).ToString();
            payment.CreditAccountId = reader.GetGuid(9).ToString();
            payment.Currency = reader.GetString(10);
            var reserved = reader.GetString(5) == "PENDING";
            AddStep(payment, !reserved ? PaymentStatus.Posted : payment.Type == PaymentType.Payout ? PaymentStatus.Reserved : PaymentStatus.Held, reader, 16);
            if (reserved && !reader.IsDBNull(12))
            {
                var (status, code) = ResolutionOf(payment.Type, reader.GetString(12), reader.GetBoolean(13),
                    reader.IsDBNull(19) ? null : reader.GetString(19), reader.IsDBNull(20) ? null : reader.GetString(20));
                payment.CompensationCode = status == PaymentStatus.Compensated ? code : ResultCode.Unspecified;
                payment.CapturedAmountMinor = status == PaymentStatus.Posted ? reader.GetInt64(14) : 0;
                // The commit that last changed the payment, so a balance read as of it shows the capture or release.
                payment.LedgerSequence = reader.GetInt64(21);
                AddStep(payment, status, reader, 18, code);
            }
        }

        return new PaymentRecord { Intent = intent, Payment = payment, LogSequence = reader.GetInt64(0) };
    }

    private static void AddStep(Payment payment, PaymentStatus status, NpgsqlDataReader reader, int timeColumn, ResultCode code = ResultCode.Unspecified)
    {
        payment.Status = status;
        payment.Steps.Add(new PaymentStep
        {
            Status = status, Code = code, Time = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(timeColumn)),
        });
    }

    // What released or posted a reservation. A payout that did not settle is COMPENSATED, with the
    // rail's failure code from the settlement result that caused the void, or the expiry.
    private static (PaymentStatus Status, ResultCode Code) ResolutionOf(
        PaymentType type, string resolvedBy, bool expired, string? causeType, string? causeData) => (type, resolvedBy) switch
    {
        (_, "POST_PENDING") => (PaymentStatus.Posted, ResultCode.Unspecified),
        (PaymentType.Payout, _) when expired => (PaymentStatus.Compensated, ResultCode.PendingTransferExpired),
        (PaymentType.Payout, _) => (PaymentStatus.Compensated, causeType == SettlementFailed.Descriptor.FullName
            ? ProtoEvents.ParseData<SettlementFailed>(causeData!).Code
            : ResultCode.Unspecified),
        _ => (expired ? PaymentStatus.Expired : PaymentStatus.Voided, ResultCode.Unspecified),
    };

    private static IMessage Parse(string type, string data) => type switch
    {
        _ when type == PaymentRequested.Descriptor.FullName => ProtoEvents.ParseData<PaymentRequested>(data),
        _ when type == HoldCaptureRequested.Descriptor.FullName => ProtoEvents.ParseData<HoldCaptureRequested>(data),
        _ when type == HoldVoidRequested.Descriptor.FullName => ProtoEvents.ParseData<HoldVoidRequested>(data),
        _ when type == ReversalRequested.Descriptor.FullName => ProtoEvents.ParseData<ReversalRequested>(data),
        _ => throw new InvalidDataException($"Event type {type} is not a payment intent."),
    };
}
