using Payments.Contracts;
using Payments.EventBus;

namespace Payments.Settlement.Saga;

/// <summary>Runs the worker as the exclusive consumer of the ledger's outcomes: one Settlement settles at a time.</summary>
internal sealed class SettlementWorkerService(IEventSubscriber subscriber, SettlementWorker worker) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        subscriber.RunAsync(new Subscription(SettlementWorker.ConsumerName, EventTopics.Ledger) { Exclusive = true, BatchSizeMax = 256 },
            worker, stoppingToken);
}
