using Npgsql;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;

namespace Payments.Api.Storage;

/// <summary>
/// Reads payments with the API's read-only role: the intent from the event log, the outcome from the
/// ledger. The API has no privilege to write either table directly; it appends intents only through
/// the event log's append function.
/// </summary>
internal sealed class PaymentReader(NpgsqlDataSource dataSource)
{
    /// <summary>The payment with id <paramref name="paymentId"/>, or null if no such intent was accepted.</summary>
    public async Task<PaymentRecord?> FindAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select e.data::text, e.time, t.seq, r.code
            from eventlog.events e
            left join ledger.transfers t on t.id = $2
            left join ledger.rejections r on r.intent_id = $2
            where e.topic = $3 and e.id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = IntentIds.Event(paymentId, PaymentRequested.Descriptor.FullName) });
        command.Parameters.Add(new NpgsqlParameter { Value = paymentId });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var intent = ProtoEvents.ParseData<PaymentRequested>(reader.GetString(0));
        var acceptedAt = reader.GetFieldValue<DateTimeOffset>(1);
        if (!reader.IsDBNull(2))
        {
            return new PaymentRecord(intent, acceptedAt, PaymentStatus.Posted, ResultCode.Unspecified, reader.GetInt64(2));
        }

        return reader.IsDBNull(3)
            ? new PaymentRecord(intent, acceptedAt, PaymentStatus.Accepted, ResultCode.Unspecified, 0)
            : new PaymentRecord(intent, acceptedAt, PaymentStatus.Rejected, ResultCodeReasons.FromReason(reader.GetString(3)), 0);
    }
}
