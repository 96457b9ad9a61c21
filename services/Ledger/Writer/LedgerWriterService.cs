using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.EventBus;

namespace Payments.Ledger.Writer;

/// <summary>
/// Runs the writer as the exclusive consumer of the intents topic: of all ledger instances, one writes
/// and the others wait as standbys until it dies.
/// </summary>
internal sealed class LedgerWriterService(IEventSubscriber subscriber, LedgerWriter writer, IOptions<LedgerOptions> options)
    : BackgroundService
{
    /// <summary>The durable consumer name of a ledger's writer.</summary>
    public static string ConsumerName(string ledger) => "ledger-writer." + ledger;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscription = new Subscription(ConsumerName(options.Value.Name), EventTopics.Payments)
        {
            Exclusive = true,
            BatchSizeMax = options.Value.BatchSizeMax,
            LingerMs = Math.Clamp(options.Value.BatchLingerMs, 0, 100),
        };
        return subscriber.RunAsync(subscription, writer, stoppingToken);
    }
}
