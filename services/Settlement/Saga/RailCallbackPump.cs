using Payments.Contracts;
using Payments.EventBus;
using Payments.Settlement.Rails;

namespace Payments.Settlement.Saga;

/// <summary>
/// Turns the answers a rail sends on its own (webhooks) into result events. They usually repeat an
/// answer already published, and then carry the same event id, so the log keeps only the first.
/// </summary>
internal sealed class RailCallbackPump(IPaymentRail rail, IEventPublisher publisher, ILogger<RailCallbackPump> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var callback in rail.Callbacks.ReadAllAsync(stoppingToken))
        {
            var result = SettlementResults.From(callback.Payout, callback.Answer, rail.Name);
            var envelope = SettlementResults.Wrap(result, callback.Payout.Reference,
                callback.Payout.Metadata.GetValueOrDefault(SettlementResults.LedgerKey, string.Empty), null);
            var appended = await publisher.PublishAsync(EventTopics.Settlement, [envelope], stoppingToken);
            logger.LogInformation("Rail callback for payout {PaymentId}: {Outcome}", callback.Payout.Reference,
                appended is { Count: 0 } ? "a duplicate, dropped by the log" : "published");
        }
    }
}
