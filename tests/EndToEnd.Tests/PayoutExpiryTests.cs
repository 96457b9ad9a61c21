using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Testing;

namespace Payments.EndToEnd.Tests;

/// <summary>
/// Settlement is down the whole time: the reservation expires on the ledger's clock and the money is
/// released. When Settlement comes back, the payout's window has closed, so the rail is never called.
/// </summary>
public sealed class PayoutExpiryTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task A_payout_nobody_settles_expires_and_a_settlement_that_comes_back_late_never_calls_the_rail()
    {
        var settlement = await platform.OpenSettlementAccountAsync();
        var funding = await platform.OpenAccountAsync("treasury");
        var customer = await platform.OpenAccountAsync("customer", noOverdraft: true);
        await platform.PayAsync(funding, customer, 3_000);

        var payout = await platform.PayoutAsync(customer, settlement, 1_000, "DE89370400440532013000", timeoutMs: 2_000);
        Assert.Equal(PaymentStatus.Reserved, payout.Status);
        Assert.Equal(2_000, (await platform.BalanceAsync(customer)).AvailableMinor);

        var seen = await platform.WatchUntilFinalAsync(payout.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(PaymentStatus.Compensated, seen[^1].Status);
        Assert.Equal(ResultCode.PendingTransferExpired, seen[^1].CompensationCode);
        var balance = await platform.BalanceAsync(customer);
        Assert.Equal(3_000, balance.AvailableMinor);
        Assert.Equal(0, balance.DebitsPendingMinor);

        await platform.StartSettlementAsync();
        await Eventually.WaitUntilAsync(async () => await platform.Database.Ledger.ScalarAsync<long>(
                "select count(*) from ledger.rejections where intent_type = 'events.v1.SettlementFailed' and intent ->> 'paymentId' = $1", payout.Id) == 1,
            TimeSpan.FromSeconds(30), "the late settlement result was recorded");
        Assert.Equal("RESULT_CODE_SETTLEMENT_WINDOW_CLOSED", await platform.Database.Ledger.ScalarAsync<string>(
            "select data ->> 'code' from eventlog.events where topic = 'settlement' and subject = $1", payout.Id));
        Assert.Equal(0, await platform.Database.Settlement.ScalarAsync<long>(
            "select count(*) from sandbox_rail.calls where idempotency_key = $1::uuid", payout.Id));
        Assert.Equal(PaymentStatus.Compensated, (await platform.GetPaymentAsync(payout.Id)).Status);
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);
    }
}
