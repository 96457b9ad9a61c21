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
/// Consumes the ledger's outcomes and settles every reserved payout among them. Each result is published
/// as soon as its payout is decided, and the position is recorded once all are, so a crash in between
/// settles the batch again: the rail answers a repeated idempotency key from its books without paying
/// twice, and the log drops the repeated result.
/// </summary>
/// <remarks>
/// Not one publish for the whole batch: a payout's window is its own reservation's, and a paid payout
/// whose result waited for a slow neighbour could reach the ledger after its hold expired, paid by the
/// rail and compensated in the ledger.
/// </remarks>
internal sealed class SettlementWorker(
    NpgsqlDataSource dataSource, IEventPublisher publisher, PayoutSettler settler, IOptions<SettlementOptions> options,
    ILogger<SettlementWorker> logger) : IEventBatchHandler
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
                var result = await settler.SettleAsync(reserved, token);
                activity?.SetTag("payments.settlement_result", result.Descriptor.Name);
                await publisher.PublishAsync(EventTopics.Settlement, [SettlementResults.Wrap(result, reserved.PaymentId,
                    envelope.PartitionKey, ProtoEvents.CurrentTraceParent() ?? envelope.TraceParent)], token);
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
