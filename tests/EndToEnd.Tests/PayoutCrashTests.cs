using Payments.Contracts.PaymentsV1;
using Payments.Testing;

namespace Payments.EndToEnd.Tests;

/// <summary>
/// kill -9 of Settlement after the rail has charged a payout and before the result event exists. The
/// restarted Settlement asks the rail again with the same idempotency key: no second charge, and the
/// ledger ends in exactly one terminal state.
/// </summary>
public sealed class PayoutCrashTests(Platform platform) : IClassFixture<Platform>
{
    // Rule 0 replaces the sandbox's first default rule: "crash…" payouts are charged at once and
    // answered a minute later, which leaves a wide window to kill Settlement in.
    private static readonly Dictionary<string, string> SlowAnswers = new()
    {
        ["SandboxRail__Rules__0__BeneficiaryPrefix"] = "crash", ["SandboxRail__Rules__0__Behaviour"] = "Pay",
        ["SandboxRail__Rules__0__LatencyMs"] = "60000", ["Settlement__AttemptTimeoutMs"] = "120000", ["Settlement__SafetyMarginMs"] = "125000",
    };

    private Task<long> Scalar(string sql, string paymentId) => platform.Database.Ledger.ScalarAsync<long>(sql, paymentId);

    [Fact]
    public async Task Settlement_killed_between_the_rail_call_and_its_result_charges_once_and_posts_once()
    {
        await platform.StartSettlementAsync(SlowAnswers);
        var settlement = await platform.OpenSettlementAccountAsync();
        var funding = await platform.OpenAccountAsync("treasury");
        var customer = await platform.OpenAccountAsync("customer", noOverdraft: true);
        await platform.PayAsync(funding, customer, 5_000);
        var payout = await platform.PayoutAsync(customer, settlement, 1_234, "crash-test-beneficiary", timeoutMs: 300_000);

        await Eventually.WaitUntilAsync(async () => await platform.Database.Settlement.ScalarAsync<long>(
                "select count(*) from sandbox_rail.payouts where payment_reference = $1", payout.Id) == 1,
            TimeSpan.FromSeconds(30), "the rail charged the payout");
        await platform.Settlement!.KillAsync();
        Assert.Equal(0, await Scalar("select count(*) from eventlog.events where topic = 'settlement' and subject = $1", payout.Id));
        Assert.Equal(PaymentStatus.Reserved, (await platform.GetPaymentAsync(payout.Id)).Status);

        await platform.StartSettlementAsync(SlowAnswers);
        var seen = await platform.WatchUntilFinalAsync(payout.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(PaymentStatus.Posted, seen[^1].Status);
        Assert.Equal(1, await platform.Database.Settlement.ScalarAsync<long>(
            "select count(*) from sandbox_rail.payouts where payment_reference = $1", payout.Id));
        Assert.Equal(2, await platform.Database.Settlement.ScalarAsync<long>(
            "select count(*) from sandbox_rail.calls where idempotency_key = $1::uuid", payout.Id));
        Assert.Equal(1, await Scalar("select count(*) from ledger.transfers where pending_id = $1::uuid", payout.Id));
        Assert.Equal(1, await Scalar("select count(*) from eventlog.events where topic = 'settlement' and subject = $1", payout.Id));
        Assert.Equal(5_000 - 1_234, await platform.PostedBalanceAsync(customer));
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);
    }
}
