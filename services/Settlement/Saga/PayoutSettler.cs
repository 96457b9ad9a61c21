using Google.Protobuf;
using Microsoft.Extensions.Options;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.Settlement.Rails;

namespace Payments.Settlement.Saga;

/// <summary>
/// Settles one reserved payout: checks it may be paid, calls the rail with the payment id as
/// idempotency key, retries transient failures with a growing backoff, and bounds every attempt and the
/// whole effort by the reservation's expiry. The result is SettlementSucceeded or SettlementFailed.
/// A timeout is not a failure: the rail may have paid before the answer was lost, or an earlier process
/// may have called it before dying. So before reporting a timeout or a closed window, Settlement asks the
/// rail what it decided for the payout's key, and reports that when there is an answer.
/// </summary>
internal sealed class PayoutSettler(IPaymentRail rail, IOptions<SettlementOptions> options, TimeProvider clock, ILogger<PayoutSettler> logger)
{
    /// <summary>The result event for <paramref name="reserved"/>. Throws only when <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task<IMessage> SettleAsync(FundsReserved reserved, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Accounts.TryGetValue(reserved.Currency, out var account) || account.ToString() != reserved.CreditAccountId)
        {
            return SettlementResults.Failed(reserved.PaymentId, reserved.Ledger, string.Empty, ResultCode.SettlementAccountInvalid,
                $"Account {reserved.CreditAccountId} is not the settlement account for {reserved.Currency}.");
        }

        // The rail must have answered before the ledger's clock may release the funds.
        var lastStart = DateTimeOffset.FromUnixTimeMilliseconds(reserved.ExpireTimeUnixMs) - TimeSpan.FromMilliseconds(settings.SafetyMarginMs);
        var payout = new RailPayout(Guid.Parse(reserved.PaymentId), reserved.PaymentId, reserved.AmountMinor, reserved.Currency,
            reserved.Beneficiary, new Dictionary<string, string> { [SettlementResults.LedgerKey] = reserved.Ledger });
        for (var attempt = 1; attempt <= settings.AttemptsMax; attempt++)
        {
            var budget = lastStart - clock.GetUtcNow();
            if (budget <= TimeSpan.Zero)
            {
                return await DecidedEarlierAsync(payout, stoppingToken) ?? (attempt == 1
                    ? SettlementResults.Failed(reserved.PaymentId, reserved.Ledger, string.Empty, ResultCode.SettlementWindowClosed,
                        "The reservation expires before the rail could settle it; the rail was not called.")
                    : TimedOut(reserved, attempt - 1));
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            attemptTimeout.CancelAfter(Min(budget, TimeSpan.FromMilliseconds(settings.AttemptTimeoutMs)));
            try
            {
                return SettlementResults.From(payout, await rail.PayAsync(payout, attemptTimeout.Token), rail.Name);
            }
            catch (RailUnavailableException exception)
            {
                logger.LogWarning("Payout {PaymentId}: attempt {Attempt} failed: {Reason}", reserved.PaymentId, attempt, exception.Message);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Payout {PaymentId}: attempt {Attempt} timed out", reserved.PaymentId, attempt);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A rail client that fails in a way nobody foresaw (an answer it cannot read) tells nothing of
                // what the rail did: an attempt without an answer, like a timeout. Thrown on, it would fail the
                // whole batch, and every payout behind this one would wait for it, batch after batch.
                logger.LogError(exception, "Payout {PaymentId}: attempt {Attempt} failed unexpectedly", reserved.PaymentId, attempt);
            }

            if (attempt < settings.AttemptsMax)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(settings.BackoffMs * (1L << (attempt - 1))), clock, stoppingToken);
            }
        }

        return await DecidedEarlierAsync(payout, stoppingToken) ?? TimedOut(reserved, settings.AttemptsMax);
    }

    // The rail's own record of the payout, as a result; null when it never took it or cannot tell now. A
    // rail that cannot tell leaves the failure standing: the audit and the rail's statements reconcile it.
    private async Task<IMessage?> DecidedEarlierAsync(RailPayout payout, CancellationToken stoppingToken)
    {
        using var inquiryTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        inquiryTimeout.CancelAfter(TimeSpan.FromMilliseconds(options.Value.AttemptTimeoutMs));
        try
        {
            return await rail.InquireAsync(payout.IdempotencyKey, inquiryTimeout.Token) is { } answer
                ? SettlementResults.From(payout, answer, rail.Name)
                : null;
        }
        catch (RailUnavailableException exception)
        {
            logger.LogWarning("Payout {PaymentId}: the rail could not say what it decided: {Reason}", payout.Reference, exception.Message);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Payout {PaymentId}: the rail did not say in time what it decided", payout.Reference);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Payout {PaymentId}: asking the rail what it decided failed unexpectedly", payout.Reference);
        }

        return null;
    }

    private SettlementFailed TimedOut(FundsReserved reserved, int attempts) => SettlementResults.Failed(reserved.PaymentId, reserved.Ledger,
        rail.Name, ResultCode.SettlementTimedOut, $"The rail did not answer in {attempts} attempt(s).");

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
