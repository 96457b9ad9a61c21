using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.EventBus;
using Payments.Ledger.Storage;

namespace Payments.Ledger.Writer;

/// <summary>
/// The ledger's clock. When a hold is due, it appends a <see cref="LedgerClockTicked"/> to the intents
/// topic; the writer expires holds when it applies that event, never from its own clock, so a replay of
/// the log expires exactly the same holds at exactly the same point. Ticks are only written when
/// something is due, and their ids are per ledger and millisecond, so several instances ticking at once
/// are harmless.
/// </summary>
internal sealed class LedgerClock(LedgerReadStore reads, IEventPublisher publisher, IOptions<LedgerOptions> options, ILogger<LedgerClock> logger)
    : BackgroundService
{
    private static readonly Guid TickNamespace = new("9d4f2a61-7c3b-4e8a-a5d2-3b1e6f0c8a03");

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ClockIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TickIfDueAsync(stoppingToken);
            }
            catch (Npgsql.NpgsqlException exception)
            {
                logger.LogWarning(exception, "The ledger clock could not tick; holds expire at the next tick");
            }
        }
    }

    private async Task TickIfDueAsync(CancellationToken cancellationToken)
    {
        var ledger = options.Value.Name;
        var now = DateTimeOffset.UtcNow;
        if (await reads.FindNextHoldExpiryAsync(ledger, cancellationToken) is not { } due || due > now)
        {
            return;
        }

        var tick = new LedgerClockTicked { Ledger = ledger, NowUnixMs = now.ToUnixTimeMilliseconds() };
        var id = DeterministicGuid.Create(TickNamespace, $"{ledger}:{tick.NowUnixMs}");
        await publisher.PublishAsync(EventTopics.Payments,
            [ProtoEvents.Wrap(tick, id, "ledger-clock", ledger, ledger, now, null)], cancellationToken);
    }
}
