using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.Settlement.Rails;
using Payments.Settlement.Saga;

namespace Payments.Settlement.Tests;

public sealed class PayoutSettlerTests
{
    private static readonly Guid SettlementAccount = Guid.NewGuid();

    private static SettlementOptions Options(int attempts = 3, int attemptTimeoutMs = 200, int safetyMarginMs = 0) => new()
    {
        Accounts = new Dictionary<string, Guid> { ["EUR"] = SettlementAccount },
        AttemptsMax = attempts, AttemptTimeoutMs = attemptTimeoutMs, BackoffMs = 10, SafetyMarginMs = safetyMarginMs,
    };

    private static FundsReserved Reserved(TimeSpan? expiresIn = null, Guid? creditAccount = null) => new()
    {
        PaymentId = Guid.NewGuid().ToString(), Ledger = "main", DebitAccountId = Guid.NewGuid().ToString(),
        CreditAccountId = (creditAccount ?? SettlementAccount).ToString(), AmountMinor = 1_500, Currency = "EUR", Beneficiary = "DE89",
        ExpireTimeUnixMs = (DateTimeOffset.UtcNow + (expiresIn ?? TimeSpan.FromMinutes(5))).ToUnixTimeMilliseconds(),
    };

    private static PayoutSettler Settler(IPaymentRail rail, SettlementOptions options) =>
        new(rail, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<PayoutSettler>.Instance);

    [Fact]
    public async Task A_paid_payout_succeeds_with_the_payment_id_as_idempotency_key_and_reference()
    {
        var rail = new ScriptedRail((_, _) => Task.FromResult(RailAnswer.PaidAs("R-1")));
        var reserved = Reserved();

        var result = Assert.IsType<SettlementSucceeded>(await Settler(rail, Options()).SettleAsync(reserved, CancellationToken.None));

        Assert.Equal(reserved.PaymentId, result.PaymentId);
        Assert.Equal("main", result.Ledger);
        Assert.Equal("R-1", result.RailReference);
        var call = Assert.Single(rail.Calls);
        Assert.Equal(Guid.Parse(reserved.PaymentId), call.IdempotencyKey);
        Assert.Equal(reserved.PaymentId, call.Reference);
        Assert.Equal((1_500, "EUR", "DE89"), (call.AmountMinor, call.Currency, call.Beneficiary));
    }

    [Fact]
    public async Task A_declined_payout_fails_with_the_rails_reason()
    {
        var rail = new ScriptedRail((_, _) => Task.FromResult(RailAnswer.Declined("account closed")));

        var result = Assert.IsType<SettlementFailed>(await Settler(rail, Options()).SettleAsync(Reserved(), CancellationToken.None));

        Assert.Equal(ResultCode.SettlementDeclined, result.Code);
        Assert.Equal("account closed", result.Detail);
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_the_same_key_until_the_rail_answers()
    {
        var rail = new ScriptedRail((call, _) => call < 3
            ? throw new RailUnavailableException("503")
            : Task.FromResult(RailAnswer.PaidAs("R-3")));

        Assert.IsType<SettlementSucceeded>(await Settler(rail, Options(attempts: 3)).SettleAsync(Reserved(), CancellationToken.None));

        Assert.Equal(3, rail.Calls.Count);
        Assert.Single(rail.Calls.Select(c => c.IdempotencyKey).Distinct());
    }

    [Fact]
    public async Task A_rail_that_never_answers_ends_as_a_timeout_after_the_bounded_attempts()
    {
        var rail = ScriptedRail.Silent();

        var result = Assert.IsType<SettlementFailed>(await Settler(rail, Options(attempts: 2, attemptTimeoutMs: 100)).SettleAsync(Reserved(), CancellationToken.None));

        Assert.Equal(ResultCode.SettlementTimedOut, result.Code);
        Assert.Equal(2, rail.Calls.Count);
    }

    [Fact]
    public async Task The_rail_is_never_called_for_a_reservation_about_to_expire_or_for_the_wrong_account()
    {
        var rail = new ScriptedRail((_, _) => Task.FromResult(RailAnswer.PaidAs("never")));
        var settler = Settler(rail, Options(safetyMarginMs: 60_000));

        var closing = Assert.IsType<SettlementFailed>(await settler.SettleAsync(Reserved(expiresIn: TimeSpan.FromSeconds(30)), CancellationToken.None));
        var misdirected = Assert.IsType<SettlementFailed>(await settler.SettleAsync(Reserved(creditAccount: Guid.NewGuid()), CancellationToken.None));

        Assert.Equal(ResultCode.SettlementWindowClosed, closing.Code);
        Assert.Equal(ResultCode.SettlementAccountInvalid, misdirected.Code);
        Assert.Empty(rail.Calls);
    }

    [Fact]
    public async Task Attempts_stop_at_the_reservations_window_even_when_more_are_allowed()
    {
        var rail = ScriptedRail.Silent();

        // The window (expiry minus margin) closes 300 ms from now, well before ten one-second attempts.
        var result = Assert.IsType<SettlementFailed>(await Settler(rail, Options(attempts: 10, attemptTimeoutMs: 1_000, safetyMarginMs: 60_000))
            .SettleAsync(Reserved(expiresIn: TimeSpan.FromMilliseconds(60_300)), CancellationToken.None));

        Assert.Equal(ResultCode.SettlementTimedOut, result.Code);
        Assert.Single(rail.Calls);
    }

    [Fact]
    public async Task A_call_that_timed_out_after_the_rail_paid_ends_as_the_rails_payment_not_as_a_failure()
    {
        var reserved = Reserved();
        ScriptedRail? rail = null;
        rail = new ScriptedRail(async (_, ct) =>
        {
            // The rail takes the money, then its answer is lost.
            rail!.Books[Guid.Parse(reserved.PaymentId)] = RailAnswer.PaidAs("R-LATE");
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });

        var result = Assert.IsType<SettlementSucceeded>(await Settler(rail, Options(attempts: 2, attemptTimeoutMs: 100)).SettleAsync(reserved, CancellationToken.None));

        Assert.Equal("R-LATE", result.RailReference);
        Assert.Equal(1, rail.Inquiries);
    }

    [Fact]
    public async Task A_closed_window_reports_what_an_earlier_process_got_from_the_rail()
    {
        var rail = new ScriptedRail((_, _) => Task.FromResult(RailAnswer.PaidAs("never")));
        var paid = Reserved(expiresIn: TimeSpan.FromSeconds(30));
        var declined = Reserved(expiresIn: TimeSpan.FromSeconds(30));
        rail.Books[Guid.Parse(paid.PaymentId)] = RailAnswer.PaidAs("R-EARLIER");
        rail.Books[Guid.Parse(declined.PaymentId)] = RailAnswer.Declined("account closed");
        var settler = Settler(rail, Options(safetyMarginMs: 60_000));

        var succeeded = Assert.IsType<SettlementSucceeded>(await settler.SettleAsync(paid, CancellationToken.None));
        var failed = Assert.IsType<SettlementFailed>(await settler.SettleAsync(declined, CancellationToken.None));

        Assert.Equal("R-EARLIER", succeeded.RailReference);
        Assert.Equal(ResultCode.SettlementDeclined, failed.Code);
        Assert.Empty(rail.Calls);
    }

    [Fact]
    public async Task Stopping_Settlement_mid_call_produces_no_result_at_all()
    {
        var rail = ScriptedRail.Silent();
        using var stopping = new CancellationTokenSource();
        var settling = Settler(rail, Options(attemptTimeoutMs: 60_000)).SettleAsync(Reserved(), stopping.Token);
        await Payments.Testing.Eventually.WaitUntilAsync(() => Task.FromResult(rail.Calls.Count == 1), TimeSpan.FromSeconds(10), "the rail was called");

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => settling);
    }
}
