using Payments.Contracts;
using Payments.EventBus;
using Payments.Settlement.Rails;

namespace Payments.Settlement.Saga;

/// <summary>
/// Turns the answers a rail sends on its own (webhooks) into result events. They usually repeat an
/// answer already published, and then carry the same event id, so the log keeps only the first.
/// </summary>
/// <remarks>
/// A callback taken off the rail's channel is published before the next is taken, however long the
/// event log is away: one failed publish must neither lose it nor end the pump (a background service
/// that throws stops the host).
/// </remarks>
internal sealed class RailCallbackPump(
    IPaymentRail rail, IEventPublisher publisher, ILogger<RailCallbackPump> logger, TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan RetryFirst = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var callback in rail.Callbacks.ReadAllAsync(stoppingToken))
        {
            var result = SettlementResults.From(callback.Payout, callback.Answer, rail.Name);
            // Decided, as far as Settlement knows, when the rail said so.
            var envelope = SettlementResults.Wrap(result, callback.Payout.Reference,
                callback.Payout.Metadata.GetValueOrDefault(SettlementResults.LedgerKey, string.Empty), DateTimeOffset.UtcNow, null);
            var appended = await PublishUntilDurableAsync(envelope, callback.Payout.Reference, stoppingToken);
            logger.LogInformation("Rail callback for payout {PaymentId}: {Outcome}", callback.Payout.Reference,
                appended is { Count: 0 } ? "a duplicate, dropped by the log" : "published");
        }
    }

    private async Task<IReadOnlySet<Guid>?> PublishUntilDurableAsync(EventEnvelope envelope, string paymentId, CancellationToken stoppingToken)
    {
        for (var wait = RetryFirst; ; wait = wait * 2 < RetryMax ? wait * 2 : RetryMax)
        {
            try
            {
                return await publisher.PublishAsync(EventTopics.Settlement, [envelope], stoppingToken);
            }
#pragma warning disable CA1031 // Whatever failed, the callback is kept and published again; stopping ends the loop.
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                logger.LogWarning(exception, "Rail callback for payout {PaymentId} not yet published; retrying in {Wait}", paymentId, wait);
            }

            await Task.Delay(wait, clock, stoppingToken);
        }
    }
}
