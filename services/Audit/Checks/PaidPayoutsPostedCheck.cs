using Npgsql;
using Payments.Contracts;
using Payments.Contracts.EventsV1;

namespace Payments.Audit.Checks;

/// <summary>
/// Every payout the rail reports paid is posted in the ledger. The ledger's first settlement result
/// decides a payout, and its clock releases a reservation whose window closed, so a rail that pays late
/// (after Settlement reported a timeout, or after the expiry) leaves money gone from the bank while the
/// payer's account got it back. The ledger cannot undo either side on its own; this check is where such
/// a break shows, until the operators settle it with the rail.
/// </summary>
/// <remarks>
/// It starts from the payouts the ledger released, which are few, and looks for a success among the
/// results the writer has consumed (the log keeps a late success: its event id differs from a
/// failure's), plus every success the writer rejected (a payout it does not know, or one past its expiry).
/// </remarks>
internal static class PaidPayoutsPostedCheck
{
    private const string Name = "paid-payouts-posted";
    private const string Title = "Every payout the rail reports paid is posted in the ledger.";

    /// <summary>The verdict, from one snapshot of the ledger and the log.</summary>
    public static async Task<CheckResult> RunAsync(NpgsqlDataSource dataSource, string ledger, DateTimeOffset deliveredBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var consumed = await WriterProgress.ConsumedOffsetAsync(connection, ledger, deliveredBefore, cancellationToken);
        await using var command = new NpgsqlCommand("""
            select p.transfer_id::text, e.seq, coalesce(e.data ->> 'railReference', ''),
                   case when r.expired then 'released at its expiry' else 'compensated' end
            from ledger.payouts p
            join ledger.transfers r on r.pending_id = p.transfer_id and r.kind = 'VOID_PENDING'
            join eventlog.events e on e.topic = $2 and e.subject = p.transfer_id::text and e.type = $3 and e.partition_key = $1
            where p.ledger = $1 and e.seq <= $4
            union all
            select coalesce(j.intent ->> 'paymentId', j.intent_id::text), e.seq, coalesce(j.intent ->> 'railReference', ''),
                   'rejected as ' || j.code
            from ledger.rejections j
            join eventlog.events e on e.topic = $2 and e.id = j.event_id
            where j.ledger = $1 and j.intent_type = $3 and j.code <> 'PENDING_TRANSFER_EXPIRED'
            order by 2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        command.Parameters.Add(new NpgsqlParameter { Value = SettlementSucceeded.Descriptor.FullName });
        command.Parameters.Add(new NpgsqlParameter { Value = consumed });

        var findings = new Findings(Name, Title);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            findings.Add($"payout {reader.GetString(0)} (log offset {reader.GetInt64(1)})",
                $"the rail paid it (reference '{reader.GetString(2)}') but the ledger {reader.GetString(3)}");
        }

        return findings.ToResult($"Settlement successes up to log offset {consumed} (the writer's) checked against the payouts' resolutions.");
    }
}
