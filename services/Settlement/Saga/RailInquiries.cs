using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.EventBus;
using Payments.Settlement.Rails;

namespace Payments.Settlement.Saga;

/// <summary>
/// Keeps asking the rail about payouts Settlement reported as timed out. The ledger gave their money back
/// on that report, but a rail still working on one may pay it later: money that left the bank while the
/// payer's account got it back. The ledger's first result stands, so this does not undo it; it publishes
/// what the rail says it paid, which the log keeps under its own id, and the audit's
/// <c>paid-payouts-posted</c> then shows the break for the operators to settle with the rail. Without it,
/// a rail that sends no callback would leave the break unseen. A rail that declined, or never took the
/// payout, settles the question; one that cannot tell now is asked again later, for a day at most.
/// </summary>
internal sealed class RailInquiries(
    IPaymentRail rail, SettlementDecisions decisions, IEventPublisher publisher, IOptions<SettlementOptions> options, TimeProvider clock,
    ILogger<RailInquiries> logger) : BackgroundService
{
    private const int PayoutsPerRoundMax = 100;
    private static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>One round: asks about the payouts due and publishes what the rail paid; returns how many it asked about.</summary>
    public async Task<int> InquireOnceAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.InquiryIntervalMs);
        var due = await decisions.UnresolvedAsync(Window, clock.GetUtcNow() - interval, PayoutsPerRoundMax, cancellationToken);
        foreach (var (paymentId, ledger) in due)
        {
            var (told, answer) = await AskAsync(paymentId, cancellationToken);
            if (answer is { Paid: true } paid)
            {
                logger.LogError("Payout {PaymentId} was reported as timed out, and the rail says it paid it ({Reference})", paymentId, paid.Reference);
                var result = new SettlementSucceeded { PaymentId = paymentId.ToString(), Ledger = ledger, Rail = rail.Name, RailReference = paid.Reference };
                await publisher.PublishAsync(EventTopics.Settlement,
                    [SettlementResults.Wrap(result, paymentId.ToString(), ledger, clock.GetUtcNow(), null)], cancellationToken);
            }

            await decisions.MarkInquiredAsync(paymentId, resolved: told, clock.GetUtcNow(), cancellationToken);
        }

        return due.Count;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.InquiryIntervalMs), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await InquireOnceAsync(stoppingToken);
            }
            catch (Npgsql.NpgsqlException exception)
            {
                logger.LogWarning(exception, "Asking the rail about timed-out payouts failed; the next round asks again");
            }
        }
    }

    // What the rail decided, and whether it could tell: a null answer it told is "never took it".
    private async Task<(bool Told, RailAnswer? Answer)> AskAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(options.Value.AttemptTimeoutMs));
        try
        {
            return (true, await rail.InquireAsync(paymentId, timeout.Token));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Payout {PaymentId}: the rail could not say what it decided; asking again later", paymentId);
            return (false, null);
        }
    }
}
