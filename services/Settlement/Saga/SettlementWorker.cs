using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.EventBus;
using Payments.ServiceDefaults.Telemetry;

namespace Payments.Settlement.Saga;

/// <summary>
/// Consumes the ledger's outcomes and settles every reserved payout among them. Each decision is recorded,
/// then published as soon as its payout is decided, and the position is recorded once all are. A payout
/// delivered again (a crash in between, at-least-once delivery) is answered from the recorded decision,
/// never by the rail again: after a published failure the ledger gives the money back, and a rail that
/// was only unreachable then could pay now. The log drops the repeated result.
/// </summary>
/// <remarks>
/// Not one publish for the whole batch: a payout's window is its own reservation's, and a paid payout
/// whose result waited for a slow neighbour could reach the ledger after its hold expired, paid by the
/// rail and compensated in the ledger.
/// </remarks>
internal sealed class SettlementWorker(
    NpgsqlDataSource dataSource, IEventPublisher publisher, PayoutSettler settler, SettlementDecisions decisions,
    IOptions<SettlementOptions> options, TimeProvider clock, ILogger<SettlementWorker> logger) : IEventBatchHandler
{
    /// <summary>The durable consumer name of Settlement.</summary>
    public const string ConsumerName = "settlement";

    /// <inheritdoc />
    public Task OnAssignedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        var reservations = batch.Events.Where(e => e.Carries<FundsReserved>()).Select(Read).OfType<(EventEnvelope, FundsReserved)>()
            .Where(r => options.Value.Ledger.Length == 0 || r.Item2.Ledger == options.Value.Ledger);
        await Parallel.ForEachAsync(reservations,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.Parallelism), CancellationToken = cancellationToken },
            async (reservation, token) =>
            {
                var (envelope, reserved) = reservation;
                ActivityContext.TryParse(envelope.TraceParent, null, out var parent);
                using var activity = PaymentsActivitySources.Settlement.StartActivity("settle payout", ActivityKind.Consumer, parent);
                activity?.SetTag("payments.payment_id", reserved.PaymentId);
                var payout = Guid.Parse(reserved.PaymentId);
                var decision = await decisions.FindAsync(payout, token)
                    ?? await decisions.RecordAsync(payout, reserved.Ledger, await settler.SettleAsync(reserved, token), clock.GetUtcNow(), token);
                activity?.SetTag("payments.settlement_result", decision.Result.Descriptor.Name);
                await publisher.PublishAsync(EventTopics.Settlement, [SettlementResults.Wrap(decision.Result, reserved.PaymentId,
                    envelope.PartitionKey, decision.DecidedAt, ProtoEvents.CurrentTraceParent() ?? envelope.TraceParent)], token);
            });

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await batch.Progress.SaveAsync(transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // An event that cannot be read is logged and skipped: retrying it forever would stop every payout behind it.
    private (EventEnvelope, FundsReserved)? Read(EventEnvelope envelope)
    {
        try
        {
            var reserved = envelope.Unwrap<FundsReserved>();
            if (Guid.TryParseExact(reserved.PaymentId, "D", out _))
            {
                return (envelope, reserved);
            }
        }
        catch (InvalidProtocolBufferException)
        {
        }

        logger.LogError("Skipped unreadable FundsReserved event {EventId}", envelope.Id);
        return null;
    }
}
