using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.EventBus;

namespace Payments.Ledger.Writer;

/// <summary>Runs the settlement relay as an exclusive consumer: one relay per ledger at a time.</summary>
internal sealed class SettlementRelayService(IEventSubscriber subscriber, SettlementRelay relay, IOptions<LedgerOptions> options)
    : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        subscriber.RunAsync(new Subscription(SettlementRelay.ConsumerName(options.Value.Name), EventTopics.Settlement) { Exclusive = true },
            relay, stoppingToken);
}
