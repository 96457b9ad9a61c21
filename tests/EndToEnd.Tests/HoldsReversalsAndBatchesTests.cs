using Google.Rpc;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EndToEnd.Tests.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests;

public sealed class HoldsReversalsAndBatchesTests(Platform platform) : IClassFixture<Platform>
{
    private Task<Payment> Get(string id) =>
        platform.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = id }, deadline: platform.Deadline).ResponseAsync.ContinueWith(t => t.Result.Payment);

    private async Task<Payment> HoldAsync(string from, string to, long amount, long timeoutMs = 600_000) =>
        (await platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to, AmountMinor = amount, Currency = "EUR",
            Hold = true, HoldTimeoutMs = timeoutMs, WaitForOutcome = true,
        }, deadline: platform.Deadline)).Payment;

    [Fact]
    public async Task A_hold_is_captured_in_part_and_the_capture_reversed_in_two_steps()
    {
        var funding = await platform.OpenAccountAsync("treasury");
        var customer = await platform.OpenAccountAsync("customer", noOverdraft: true);
        var merchant = await platform.OpenAccountAsync("merchant", noOverdraft: true);
        await platform.PayAsync(funding, customer, 10_000);

        var hold = await HoldAsync(customer, merchant, 4_000);
        Assert.Equal(PaymentStatus.Held, hold.Status);
        var balance = await platform.LedgerClient.GetBalanceAsync(new GetBalanceRequest { AccountId = customer }, deadline: platform.Deadline);
        Assert.Equal(6_000, balance.Balance.AvailableMinor);

        var capture = (await platform.Payments.CapturePaymentAsync(new CapturePaymentRequest
        {
            RequestId = "capture-1", PaymentId = hold.Id, AmountMinor = 2_500, WaitForOutcome = true,
        }, deadline: platform.Deadline)).Payment;
        Assert.Equal(PaymentStatus.Posted, capture.Status);
        Assert.Equal(PaymentType.Capture, capture.Type);
        var captured = await Get(hold.Id);
        Assert.Equal(PaymentStatus.Posted, captured.Status);
        Assert.Equal(2_500, captured.CapturedAmountMinor);
        Assert.Equal(7_500, await platform.PostedBalanceAsync(customer));
        // The hold was last changed by its capture: a balance as of it shows the capture.
        Assert.True(captured.LedgerSequence > hold.LedgerSequence);
        Assert.Equal(capture.LedgerSequence, captured.LedgerSequence);

        await Reverse(capture.Id, 1_000);
        await Reverse(capture.Id, 0);
        var error = await Assert.ThrowsAsync<RpcException>(() => Reverse(capture.Id, 1));
        Assert.Equal("EXCEEDS_REVERSIBLE_AMOUNT", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(2_500, (await Get(capture.Id)).ReversedAmountMinor);
        Assert.Equal(10_000, await platform.PostedBalanceAsync(customer));
        Assert.Equal(0, await platform.PostedBalanceAsync(merchant));
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
    }

    [Fact]
    public async Task A_watch_on_a_hold_follows_it_to_its_capture_and_another_to_its_void()
    {
        var customer = await platform.OpenAccountAsync("customer");
        var merchant = await platform.OpenAccountAsync("merchant");
        var captured = await HoldAsync(customer, merchant, 300);
        var voided = await HoldAsync(customer, merchant, 200);

        // The capture and the void are payments of their own; the watches follow the holds they resolve.
        using var captureWatch = platform.Payments.WatchPayment(new WatchPaymentRequest { PaymentId = captured.Id }, deadline: platform.Deadline);
        using var voidWatch = platform.Payments.WatchPayment(new WatchPaymentRequest { PaymentId = voided.Id }, deadline: platform.Deadline);
        Assert.True(await captureWatch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(PaymentStatus.Held, captureWatch.ResponseStream.Current.Payment.Status);
        Assert.True(await voidWatch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(PaymentStatus.Held, voidWatch.ResponseStream.Current.Payment.Status);
        await platform.Payments.CapturePaymentAsync(new CapturePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = captured.Id, WaitForOutcome = true,
        }, deadline: platform.Deadline);
        await platform.Payments.VoidPaymentAsync(new VoidPaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = voided.Id, WaitForOutcome = true,
        }, deadline: platform.Deadline);

        Assert.True(await captureWatch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal((PaymentStatus.Posted, 300L), (captureWatch.ResponseStream.Current.Payment.Status, captureWatch.ResponseStream.Current.Payment.CapturedAmountMinor));
        Assert.False(await captureWatch.ResponseStream.MoveNext(CancellationToken.None), "a posted payment is final");
        Assert.True(await voidWatch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(PaymentStatus.Voided, voidWatch.ResponseStream.Current.Payment.Status);
        Assert.False(await voidWatch.ResponseStream.MoveNext(CancellationToken.None), "a voided payment is final");
    }

    [Fact]
    public async Task A_voided_hold_and_an_expired_hold_both_give_the_money_back()
    {
        var funding = await platform.OpenAccountAsync("treasury");
        var wallet = await platform.OpenAccountAsync("wallet");
        var voided = await HoldAsync(funding, wallet, 300);
        var expiring = await HoldAsync(funding, wallet, 700, timeoutMs: 1_000);

        var cancel = await platform.Payments.VoidPaymentAsync(new VoidPaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = voided.Id, WaitForOutcome = true,
        }, deadline: platform.Deadline);
        Assert.Equal(PaymentStatus.Posted, cancel.Payment.Status);
        Assert.Equal(PaymentStatus.Voided, (await Get(voided.Id)).Status);

        // The ledger refuses a second release for its state, not for the request's shape.
        var again = await Assert.ThrowsAsync<RpcException>(() => platform.Payments.VoidPaymentAsync(new VoidPaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = voided.Id, WaitForOutcome = true,
        }, deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal("ALREADY_VOIDED", again.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);

        // No request releases this one: the ledger's clock does, through an event in the log.
        await Eventually.WaitUntilAsync(async () => (await Get(expiring.Id)).Status == PaymentStatus.Expired,
            TimeSpan.FromSeconds(30), "the hold expired");
        var balance = await platform.LedgerClient.GetBalanceAsync(new GetBalanceRequest { AccountId = funding }, deadline: platform.Deadline);
        Assert.Equal(0, balance.Balance.DebitsPendingMinor);
        Assert.Equal(0, balance.Balance.DebitsPostedMinor);
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);
    }

    [Fact]
    public async Task A_frozen_account_refuses_debits_until_unfrozen_and_a_closed_one_for_good()
    {
        var account = await platform.OpenAccountAsync("freezable");
        var other = await platform.OpenAccountAsync("other");
        var frozen = await platform.LedgerClient.FreezeAccountAsync(new FreezeAccountRequest { RequestId = "freeze-1", AccountId = account }, deadline: platform.Deadline);
        Assert.Equal(AccountStatus.Frozen, frozen.Account.Status);

        var refused = await Assert.ThrowsAsync<RpcException>(() => platform.PayAsync(account, other, 1));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("ACCOUNT_FROZEN", refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(other, account, 1)).Status);

        await platform.LedgerClient.UnfreezeAccountAsync(new UnfreezeAccountRequest { RequestId = "unfreeze-1", AccountId = account }, deadline: platform.Deadline);
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(account, other, 1)).Status);

        await platform.LedgerClient.CloseAccountAsync(new CloseAccountRequest { RequestId = "close-1", AccountId = account }, deadline: platform.Deadline);
        var closed = await Assert.ThrowsAsync<RpcException>(() => platform.PayAsync(other, account, 1));
        Assert.Equal(StatusCode.FailedPrecondition, closed.StatusCode);
        Assert.Equal("ACCOUNT_CLOSED", closed.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        var reopen = await Assert.ThrowsAsync<RpcException>(() => platform.LedgerClient.UnfreezeAccountAsync(
            new UnfreezeAccountRequest { RequestId = "reopen-1", AccountId = account }, deadline: platform.Deadline).ResponseAsync);
        Assert.Equal("ACCOUNT_CLOSED", reopen.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task A_balance_can_be_read_as_of_an_earlier_ledger_sequence()
    {
        var from = await platform.OpenAccountAsync("historian");
        var to = await platform.OpenAccountAsync("archive");
        // Another transfer first, so the sequence before the first payment is one (0 would mean now).
        await platform.PayAsync(from, await platform.OpenAccountAsync("bystander"), 1);
        var first = await platform.PayAsync(from, to, 100);
        await platform.PayAsync(from, to, 250);

        var then = await platform.LedgerClient.GetBalanceAsync(
            new GetBalanceRequest { AccountId = to, AsOfLedgerSequence = first.LedgerSequence }, deadline: platform.Deadline);
        var before = await platform.LedgerClient.GetBalanceAsync(
            new GetBalanceRequest { AccountId = to, AsOfLedgerSequence = first.LedgerSequence - 1 }, deadline: platform.Deadline);
        Assert.Equal(100, then.Balance.PostedMinor);
        Assert.Equal(0, before.Balance.PostedMinor);
        Assert.Equal(350, await platform.PostedBalanceAsync(to));

        // A sequence the ledger has not reached would answer differently later, so it is refused. (Far ahead,
        // since an expiring hold of another test may commit meanwhile.)
        var head = await platform.Database.Ledger.ScalarAsync<long>("select max(seq) from ledger.transfers where ledger = 'main'");
        await Refusals.AssertAsync(StatusCode.OutOfRange, "LEDGER_SEQUENCE_AHEAD", () => platform.LedgerClient.GetBalanceAsync(
            new GetBalanceRequest { AccountId = to, AsOfLedgerSequence = head + 1_000_000 }, deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(350, (await platform.LedgerClient.GetBalanceAsync(
            new GetBalanceRequest { AccountId = to, AsOfLedgerSequence = head }, deadline: platform.Deadline)).Balance.PostedMinor);
    }

    [Fact]
    public async Task A_request_id_named_twice_in_one_batch_is_answered_as_a_retry_of_its_first_item()
    {
        var from = await platform.OpenAccountAsync("twice");
        var to = await platform.OpenAccountAsync("receiver");
        CreatePaymentRequest Item(long amount) => new()
        {
            RequestId = "twice-in-a-batch", DebitAccountId = from, CreditAccountId = to, AmountMinor = amount, Currency = "EUR",
        };
        var batch = new CreatePaymentsRequest { WaitForOutcome = true, Requests = { Item(100), Item(100), Item(200) } };
        var response = await platform.Payments.CreatePaymentsAsync(batch, deadline: platform.Deadline);

        // The log keeps the first item; the item that differs is refused, the identical one is the same payment.
        Assert.Equal(PaymentStatus.Posted, response.Results[0].Payment.Status);
        Assert.Equal(100, response.Results[0].Payment.AmountMinor);
        Assert.Equal(response.Results[0].Payment, response.Results[1].Payment);
        Assert.Equal((int)StatusCode.AlreadyExists, response.Results[2].Error.Code);
        Assert.Equal("EXISTS_WITH_DIFFERENT_AMOUNT", response.Results[2].Error.Reason);
        Assert.Equal(100, await platform.PostedBalanceAsync(to));
        Assert.Equal(1L, await platform.Database.Ledger.ScalarAsync<long>(
            $"select count(*) from eventlog.events where type = 'events.v1.PaymentRequested' and subject = '{response.Results[0].Payment.Id}'"));
    }

    [Fact]
    public async Task A_batch_answers_per_item_and_a_listing_pages_through_everything()
    {
        var from = await platform.OpenAccountAsync("batcher", noOverdraft: true);
        var to = await platform.OpenAccountAsync("receiver");
        var funding = await platform.OpenAccountAsync("treasury");
        await platform.PayAsync(funding, from, 1_000);

        CreatePaymentRequest Item(string requestId, long amount, string? debit = null) => new()
        {
            RequestId = requestId, DebitAccountId = debit ?? from, CreditAccountId = to, AmountMinor = amount, Currency = "EUR",
        };
        var batch = new CreatePaymentsRequest { WaitForOutcome = true };
        batch.Requests.Add(Item("b-1", 100));
        batch.Requests.Add(Item("b-2", 0));
        batch.Requests.Add(Item("b-3", 5_000));
        batch.Requests.Add(Item("b-4", 200, debit: "nope"));
        batch.Requests.Add(Item("b-5", 300));
        var response = await platform.Payments.CreatePaymentsAsync(batch, deadline: platform.Deadline);

        Assert.Equal(5, response.Results.Count);
        Assert.Equal(PaymentStatus.Posted, response.Results[0].Payment.Status);
        Assert.Equal("AMOUNT_MUST_BE_POSITIVE", response.Results[1].Error.Reason);
        Assert.Equal("EXCEEDS_CREDITS", response.Results[2].Error.Reason);
        Assert.Equal((int)StatusCode.FailedPrecondition, response.Results[2].Error.Code);
        Assert.Equal("ID_INVALID", response.Results[3].Error.Reason);
        Assert.Equal(PaymentStatus.Posted, response.Results[4].Payment.Status);
        Assert.Equal(400, await platform.PostedBalanceAsync(to));

        var seen = new List<string>();
        var request = new ListPaymentsRequest { PageSize = 2 };
        do
        {
            var page = await platform.Payments.ListPaymentsAsync(request, deadline: platform.Deadline);
            Assert.True(page.Payments.Count <= 2);
            seen.AddRange(page.Payments.Select(p => p.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains(response.Results[0].Payment.Id, seen);
        Assert.Contains(response.Results[4].Payment.Id, seen);
        Assert.Equal(await platform.Database.Ledger.ScalarAsync<long>("""
            select count(distinct subject) from eventlog.events
            where topic = 'payments' and data ->> 'principal' = 'dev'
              and type in ('events.v1.PaymentRequested', 'events.v1.HoldCaptureRequested', 'events.v1.HoldVoidRequested', 'events.v1.ReversalRequested')
            """), (long)seen.Count);
    }

    private Task<ReversePaymentResponse> Reverse(string paymentId, long amount) =>
        platform.Payments.ReversePaymentAsync(new ReversePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = paymentId, AmountMinor = amount, WaitForOutcome = true,
        }, deadline: platform.Deadline).ResponseAsync;
}
