using Google.Rpc;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Testing;

namespace Payments.EndToEnd.Tests;

/// <summary>
/// The payout saga across the real processes: the API accepts, the ledger reserves, Settlement calls the
/// sandbox rail, its result is relayed back, and the ledger posts or compensates.
/// </summary>
public sealed class PayoutSagaTests(Platform platform) : IClassFixture<Platform>, IAsyncLifetime
{
    private static readonly TimeSpan SagaTimeout = TimeSpan.FromSeconds(30);

    private string customer = null!;
    private string settlement = null!;

    public async Task InitializeAsync()
    {
        // Short attempts, so the rail's "timeout" branch ends within a test's patience.
        if (platform.Settlement is null)
        {
            await platform.StartSettlementAsync(new Dictionary<string, string>
            {
                ["Settlement__AttemptTimeoutMs"] = "500", ["Settlement__AttemptsMax"] = "3", ["Settlement__BackoffMs"] = "50",
                ["Settlement__SafetyMarginMs"] = "1500",
            });
        }

        settlement = await platform.OpenSettlementAccountAsync();
        var funding = await platform.OpenAccountAsync("treasury");
        customer = await platform.OpenAccountAsync("customer", noOverdraft: true);
        await platform.PayAsync(funding, customer, 10_000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<long> Ledger(string sql, params object[] parameters) => platform.Database.Ledger.ScalarAsync<long>(sql, parameters);

    private Task<long> Rail(string sql, string paymentId) => platform.Database.Settlement.ScalarAsync<long>(sql, paymentId);

    private Task<long> Charges(string paymentId) =>
        Rail("select count(*) from sandbox_rail.payouts where payment_reference = $1 and paid", paymentId);

    private Task<long> Calls(string paymentId) =>
        Rail("select count(*) from sandbox_rail.calls where idempotency_key = $1::uuid", paymentId);

    private Task<long> Resolutions(string paymentId, string kind) =>
        Ledger("select count(*) from ledger.transfers where pending_id = $1::uuid and kind = $2", paymentId, kind);

    private async Task<Payment> SettledAsync(Payment payout)
    {
        var seen = await platform.WatchUntilFinalAsync(payout.Id, SagaTimeout);
        Assert.NotEmpty(seen);
        return seen[^1];
    }

    private static void AssertPath(Payment payment, params PaymentStatus[] path) =>
        Assert.Equal(path, payment.Steps.Select(s => s.Status));

    [Fact]
    public async Task A_payout_that_settles_moves_the_funds_to_the_settlement_account_exactly_once()
    {
        var before = await platform.BalanceAsync(settlement);
        var payout = await platform.PayoutAsync(customer, settlement, 4_000, "DE89 3704 0044 0532 0130 00");
        Assert.Equal(PaymentType.Payout, payout.Type);
        Assert.Contains(payout.Status, new[] { PaymentStatus.Reserved, PaymentStatus.Posted });

        var settled = await SettledAsync(payout);
        Assert.Equal(PaymentStatus.Posted, settled.Status);
        AssertPath(await platform.GetPaymentAsync(payout.Id), PaymentStatus.Accepted, PaymentStatus.Reserved, PaymentStatus.Posted);

        Assert.Equal(before.CreditsPostedMinor + 4_000, (await platform.BalanceAsync(settlement)).CreditsPostedMinor);
        Assert.Equal(6_000, (await platform.BalanceAsync(customer)).AvailableMinor);
        Assert.Equal(1, await Resolutions(payout.Id, "POST_PENDING"));
        Assert.Equal(1, await Charges(payout.Id));
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);
    }

    [Fact]
    public async Task A_declined_payout_is_compensated_and_the_balances_are_back_where_they_were()
    {
        var before = await platform.BalanceAsync(customer);
        var payout = await platform.PayoutAsync(customer, settlement, 2_500, "decline-this-beneficiary");

        var settled = await SettledAsync(payout);
        Assert.Equal(PaymentStatus.Compensated, settled.Status);
        Assert.Equal(ResultCode.SettlementDeclined, settled.CompensationCode);
        AssertPath(settled, PaymentStatus.Accepted, PaymentStatus.Reserved, PaymentStatus.Compensated);

        var after = await platform.BalanceAsync(customer);
        Assert.Equal(before.AvailableMinor, after.AvailableMinor);
        Assert.Equal(before.PostedMinor, after.PostedMinor);
        Assert.Equal(before.DebitsPendingMinor, after.DebitsPendingMinor);
        Assert.Equal(1, await Resolutions(payout.Id, "VOID_PENDING"));
        Assert.Equal(2, await Ledger(
            "select count(*) from ledger.entries e join ledger.transfers t on t.id = e.transfer_id where t.pending_id = $1::uuid", payout.Id));
        Assert.Equal(0, await Charges(payout.Id));
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
    }

    [Fact]
    public async Task A_rail_that_never_answers_times_out_and_the_payout_is_compensated()
    {
        var payout = await platform.PayoutAsync(customer, settlement, 700, "timeout-bank");

        var settled = await SettledAsync(payout);
        Assert.Equal(PaymentStatus.Compensated, settled.Status);
        Assert.Equal(ResultCode.SettlementTimedOut, settled.CompensationCode);
        Assert.Equal(3, await Calls(payout.Id));
        Assert.Equal(0, await Charges(payout.Id));
        Assert.Equal(0, (await platform.BalanceAsync(customer)).DebitsPendingMinor);
    }

    [Fact]
    public async Task A_flaky_rail_is_retried_with_the_same_key_and_a_duplicate_callback_changes_nothing()
    {
        var flaky = await platform.PayoutAsync(customer, settlement, 300, "flaky-bank");
        var duplicated = await platform.PayoutAsync(customer, settlement, 200, "duplicate-callback-bank");

        Assert.Equal(PaymentStatus.Posted, (await SettledAsync(flaky)).Status);
        Assert.Equal(PaymentStatus.Posted, (await SettledAsync(duplicated)).Status);
        Assert.True(await Calls(flaky.Id) >= 2, "the flaky rail was called again");
        Assert.Equal(1, await Charges(flaky.Id));

        // The rail answers twice (the reply and a callback, in either order); the log keeps one result.
        await Eventually.WaitUntilAsync(() => Task.FromResult(platform.Settlement!.Output.Contains($"Rail callback for payout {duplicated.Id}")),
            SagaTimeout, "Settlement received the duplicate callback");
        Assert.Equal(1, await Charges(duplicated.Id));
        Assert.Equal(1, await Ledger("select count(*) from eventlog.events where topic = 'settlement' and subject = $1", duplicated.Id));
        Assert.Equal(1, await Resolutions(duplicated.Id, "POST_PENDING"));
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);
    }

    [Fact]
    public async Task A_payout_to_an_account_that_is_not_the_settlement_account_is_compensated_without_calling_the_rail()
    {
        var other = await platform.OpenAccountAsync("someone-else");
        var payout = await platform.PayoutAsync(customer, other, 100, "DE02120300000000202051");

        var settled = await SettledAsync(payout);
        Assert.Equal(PaymentStatus.Compensated, settled.Status);
        Assert.Equal(ResultCode.SettlementAccountInvalid, settled.CompensationCode);
        Assert.Equal(0, await Calls(payout.Id));
        Assert.Equal(0, await platform.PostedBalanceAsync(other));
    }

    [Fact]
    public async Task A_client_can_neither_capture_nor_void_a_payout_but_can_reverse_it_once_posted_in_part_and_in_full()
    {
        var payout = await platform.PayoutAsync(customer, settlement, 1_000, "slow-but-sure");
        var capture = await Assert.ThrowsAsync<RpcException>(() => platform.Payments.CapturePaymentAsync(
            new CapturePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = payout.Id, WaitForOutcome = true },
            deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, capture.StatusCode);
        Assert.Equal("HOLD_IS_PAYOUT", capture.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(PaymentStatus.Posted, (await SettledAsync(payout)).Status);

        var before = await platform.PostedBalanceAsync(customer);
        var partial = await Reverse(payout.Id, 400);
        var rest = await Reverse(payout.Id, 0);
        Assert.Equal(PaymentStatus.Posted, partial.Status);
        Assert.Equal(600, rest.AmountMinor);
        Assert.Equal(1_000, (await platform.GetPaymentAsync(payout.Id)).ReversedAmountMinor);
        Assert.Equal(before + 1_000, await platform.PostedBalanceAsync(customer));
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
    }

    [Theory]
    [InlineData("x", 141)]
    [InlineData("DE89 \u202E00 0310", 1)]
    [InlineData("DE89\u200B3704", 1)]
    [InlineData("DE89\u2028line", 1)]
    [InlineData("DE89\u0007", 1)]
    public async Task A_payout_with_a_bad_beneficiary_is_refused_and_writes_nothing(string text, int repeat)
    {
        // Too long, or with characters a statement would not show as they are: a right-to-left override
        // reorders what follows it, a zero-width space hides. (A lone surrogate never arrives: the client's
        // UTF-8 encoding has already replaced it.)
        var beneficiary = string.Concat(Enumerable.Repeat(text, repeat));
        var requestId = Guid.NewGuid().ToString();
        var error = await Assert.ThrowsAsync<RpcException>(() => platform.PayoutAsync(customer, settlement, 100, beneficiary, requestId: requestId));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("BENEFICIARY_INVALID", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(0, await Ledger("select count(*) from eventlog.events where data ->> 'requestId' = $1", requestId));
    }

    [Fact]
    public async Task A_beneficiary_in_any_script_with_accents_and_symbols_is_accepted()
    {
        var payout = await platform.PayoutAsync(customer, settlement, 100, "Zoë Müller-Łukasiewicz, 東京 – DE89 3704 0044 0532 0130 00 ✓");

        Assert.Equal(PaymentStatus.Posted, (await SettledAsync(payout)).Status);
    }

    private async Task<Payment> Reverse(string paymentId, long amount) =>
        (await platform.Payments.ReversePaymentAsync(new ReversePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = paymentId, AmountMinor = amount, WaitForOutcome = true,
        }, deadline: platform.Deadline)).Payment;
}
