using Google.Rpc;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// A principal debits and reads only its own accounts and reads only its own payments; an accounts
/// administrator is not bound. Every refusal writes nothing, and what a caller may not see is answered
/// exactly as if it did not exist (ADR 0050): ids are predictable, so anything else is an oracle.
/// </summary>
public sealed class ObjectAuthorizationTests(Platform platform) : IClassFixture<Platform>
{
    private static readonly string[] CustomerScopes = [Scopes.PaymentsWrite, Scopes.PaymentsRead, Scopes.LedgerRead];

    [Fact]
    public async Task Debiting_another_principals_account_is_refused_and_writes_nothing()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var mallory = platform.PaymentsAs("mallory", CustomerScopes);
        var before = await Writes.CountAsync(platform);

        await AssertConcealedAsync(StatusCode.NotFound, "DEBIT_ACCOUNT_NOT_FOUND", alice, id => mallory.CreatePaymentAsync(
            Pay(id, bob, 10), deadline: platform.Deadline).ResponseAsync);
        var batch = await mallory.CreatePaymentsAsync(new CreatePaymentsRequest { Requests = { Pay(alice, bob, 10), Pay(bob, alice, 10) } },
            deadline: platform.Deadline);
        Assert.All(batch.Results, result => Assert.Equal("DEBIT_ACCOUNT_NOT_FOUND", result.Error.Reason));

        Assert.Equal(before, await Writes.CountAsync(platform));
        Assert.Equal(1000, await platform.PostedBalanceAsync(alice));
    }

    [Fact]
    public async Task A_payment_the_ledger_would_refuse_for_its_accounts_is_refused_before_anything_is_written()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var asAlice = platform.PaymentsAs("alice", CustomerScopes);
        var before = await Writes.CountAsync(platform);

        // What never changes about the accounts decides these, so the ledger's answer is known at once.
        await Refusals.AssertAsync(StatusCode.NotFound, "CREDIT_ACCOUNT_NOT_FOUND", () => asAlice.CreatePaymentAsync(
            Pay(alice, Guid.NewGuid().ToString(), 10), deadline: platform.Deadline).ResponseAsync);
        var dollars = Pay(alice, bob, 10);
        dollars.Currency = "USD";
        await Refusals.AssertAsync(StatusCode.FailedPrecondition, "CURRENCY_MISMATCH",
            () => asAlice.CreatePaymentAsync(dollars, deadline: platform.Deadline).ResponseAsync);
        var batch = await asAlice.CreatePaymentsAsync(new CreatePaymentsRequest { Requests = { Pay(alice, Guid.NewGuid().ToString(), 1), Pay(alice, bob, 1) } },
            deadline: platform.Deadline);

        Assert.Equal(["CREDIT_ACCOUNT_NOT_FOUND", ""], batch.Results.Select(r => r.Error?.Reason ?? ""));
        Assert.Equal(before.Intents + 1, (await Writes.CountAsync(platform)).Intents);
    }

    [Fact]
    public async Task An_owner_debits_its_own_account_and_a_mixed_batch_writes_only_its_own_items()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var asAlice = platform.PaymentsAs("alice", CustomerScopes);

        var paid = (await asAlice.CreatePaymentAsync(Pay(alice, bob, 100, wait: true), deadline: platform.Deadline)).Payment;
        Assert.Equal(PaymentStatus.Posted, paid.Status);

        var before = await Writes.CountAsync(platform);
        var batch = await asAlice.CreatePaymentsAsync(new CreatePaymentsRequest { Requests = { Pay(alice, bob, 1), Pay(bob, alice, 1) } },
            deadline: platform.Deadline);
        Assert.Equal(string.Empty, batch.Results[0].Error?.Reason ?? string.Empty);
        Assert.Equal("DEBIT_ACCOUNT_NOT_FOUND", batch.Results[1].Error.Reason);
        Assert.Equal(before.Intents + 1, (await Writes.CountAsync(platform)).Intents);
    }

    [Fact]
    public async Task Reading_another_principals_accounts_transfers_and_payments_is_refused()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var paid = (await platform.PaymentsAs("alice", CustomerScopes).CreatePaymentAsync(Pay(alice, bob, 50, wait: true), deadline: platform.Deadline)).Payment;
        var mallory = platform.LedgerAs("mallory", CustomerScopes);
        var malloryPayments = platform.PaymentsAs("mallory", CustomerScopes);

        await AssertConcealedAsync(StatusCode.NotFound, "ACCOUNT_NOT_FOUND", alice,
            id => mallory.GetAccountAsync(new GetAccountRequest { AccountId = id }, deadline: platform.Deadline).ResponseAsync);
        await AssertConcealedAsync(StatusCode.NotFound, "ACCOUNT_NOT_FOUND", alice,
            id => mallory.GetBalanceAsync(new GetBalanceRequest { AccountId = id }, deadline: platform.Deadline).ResponseAsync);
        await AssertConcealedAsync(StatusCode.NotFound, "ACCOUNT_NOT_FOUND", alice,
            id => mallory.ListEntriesAsync(new ListEntriesRequest { AccountId = id }, deadline: platform.Deadline).ResponseAsync);
        await AssertConcealedAsync(StatusCode.NotFound, "TRANSFER_NOT_FOUND", paid.Id,
            id => mallory.GetTransferAsync(new GetTransferRequest { TransferId = id }, deadline: platform.Deadline).ResponseAsync);
        await AssertConcealedAsync(StatusCode.NotFound, "PAYMENT_NOT_FOUND", paid.Id,
            id => malloryPayments.GetPaymentAsync(new GetPaymentRequest { PaymentId = id }, deadline: platform.Deadline).ResponseAsync);
        await AssertConcealedAsync(StatusCode.NotFound, "PAYMENT_NOT_FOUND", paid.Id, async id =>
        {
            using var call = malloryPayments.WatchPayment(new WatchPaymentRequest { PaymentId = id }, deadline: platform.Deadline);
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.DoesNotContain((await malloryPayments.ListPaymentsAsync(new ListPaymentsRequest(), deadline: platform.Deadline)).Payments,
            payment => payment.Id == paid.Id);

        // The owners themselves: alice reads her account and payment, bob reads the transfer that credited him.
        Assert.Equal(950, (await platform.LedgerAs("alice", CustomerScopes).GetBalanceAsync(new GetBalanceRequest { AccountId = alice })).Balance.PostedMinor);
        Assert.Equal(paid.Id, (await platform.PaymentsAs("alice", CustomerScopes).GetPaymentAsync(new GetPaymentRequest { PaymentId = paid.Id })).Payment.Id);
        Assert.Equal(paid.Id, (await platform.LedgerAs("bob", CustomerScopes).GetTransferAsync(new GetTransferRequest { TransferId = paid.Id })).Transfer.Id);
    }

    [Fact]
    public async Task Only_the_payee_reverses_and_only_the_payer_captures_or_voids()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var asAlice = platform.PaymentsAs("alice", CustomerScopes);
        var asBob = platform.PaymentsAs("bob", CustomerScopes);
        var paid = (await asAlice.CreatePaymentAsync(Pay(alice, bob, 100, wait: true), deadline: platform.Deadline)).Payment;
        var hold = await HoldAsync(asAlice, alice, bob);
        var before = await Writes.CountAsync(platform);

        // A reversal debits the payee's account, so the payer may not take its money back on its own.
        await Refusals.AssertAsync(StatusCode.PermissionDenied, "NOT_ACCOUNT_OWNER", () => asAlice.ReversePaymentAsync(
            new ReversePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = paid.Id, AmountMinor = 100 }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.NotFound, "PAYMENT_NOT_FOUND", () => asBob.CapturePaymentAsync(
            new CapturePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = hold.Id }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.NotFound, "PAYMENT_NOT_FOUND", () => asBob.VoidPaymentAsync(
            new VoidPaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = hold.Id }, deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(before, await Writes.CountAsync(platform));

        var reversed = await asBob.ReversePaymentAsync(new ReversePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = paid.Id, AmountMinor = 100, WaitForOutcome = true,
        }, deadline: platform.Deadline);
        Assert.Equal(PaymentStatus.Posted, reversed.Payment.Status);
        var captured = await asAlice.CapturePaymentAsync(new CapturePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = hold.Id, WaitForOutcome = true,
        }, deadline: platform.Deadline);
        Assert.Equal(PaymentStatus.Posted, captured.Payment.Status);
    }

    [Fact]
    public async Task Acting_on_a_capture_the_ledger_rejected_is_not_found_rather_than_pending()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var asAlice = platform.PaymentsAs("alice", CustomerScopes);
        var asBob = platform.PaymentsAs("bob", CustomerScopes);
        var hold = await HoldAsync(asAlice, alice, bob);
        var refused = await Assert.ThrowsAsync<RpcException>(() => asAlice.CapturePaymentAsync(new CapturePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), PaymentId = hold.Id, AmountMinor = 11, WaitForOutcome = true,
        }, deadline: platform.Deadline).ResponseAsync);
        var rejectedId = Assert.Single(refused.GetRpcStatus()!.Details.Select(d => d.Unpack<ErrorInfo>())).Metadata["payment_id"];
        var rejected = (await asAlice.GetPaymentAsync(new GetPaymentRequest { PaymentId = rejectedId }, deadline: platform.Deadline)).Payment;
        Assert.Equal(PaymentStatus.Rejected, rejected.Status);
        var before = await Writes.CountAsync(platform);

        // The rejected capture posted nothing and never will: an answer of "retry later" would be retried forever.
        await Refusals.AssertAsync(StatusCode.NotFound, "PENDING_TRANSFER_NOT_FOUND", () => asAlice.CapturePaymentAsync(
            new CapturePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = rejected.Id }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.NotFound, "PENDING_TRANSFER_NOT_FOUND", () => asAlice.VoidPaymentAsync(
            new VoidPaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = rejected.Id }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.NotFound, "REVERSAL_TARGET_NOT_FOUND", () => asAlice.ReversePaymentAsync(
            new ReversePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = rejected.Id, AmountMinor = 1 }, deadline: platform.Deadline).ResponseAsync);
        // Anyone else is told nothing of it: neither that it was rejected nor what it was.
        await AssertConcealedAsync(StatusCode.NotFound, "PAYMENT_NOT_FOUND", rejected.Id, id => asBob.ReversePaymentAsync(
            new ReversePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = id, AmountMinor = 1 }, deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task A_payee_learns_nothing_of_a_payment_to_it_that_the_ledger_refused()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() => platform.PaymentsAs("alice", CustomerScopes)
            .CreatePaymentAsync(Pay(alice, bob, 5_000, wait: true), deadline: platform.Deadline).ResponseAsync);
        var rejectedId = refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["payment_id"];
        var before = await Writes.CountAsync(platform);

        await AssertConcealedAsync(StatusCode.NotFound, "PAYMENT_NOT_FOUND", rejectedId, id => platform.PaymentsAs("bob", CustomerScopes)
            .ReversePaymentAsync(new ReversePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = id, AmountMinor = 1 },
                deadline: platform.Deadline).ResponseAsync);

        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task Releasing_ones_own_hold_that_the_ledger_refused_is_refused_before_anything_is_written()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var asAlice = platform.PaymentsAs("alice", CustomerScopes);
        var refused = await Assert.ThrowsAsync<RpcException>(() => asAlice.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), DebitAccountId = alice, CreditAccountId = bob, AmountMinor = 5_000, Currency = "EUR",
            Hold = true, HoldTimeoutMs = 600_000, WaitForOutcome = true,
        }, deadline: platform.Deadline).ResponseAsync);
        var hold = refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["payment_id"];
        var before = await Writes.CountAsync(platform);

        await Refusals.AssertAsync(StatusCode.NotFound, "PENDING_TRANSFER_NOT_FOUND", () => asAlice.VoidPaymentAsync(
            new VoidPaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = hold }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.NotFound, "PENDING_TRANSFER_NOT_FOUND", () => asAlice.CapturePaymentAsync(
            new CapturePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = hold }, deadline: platform.Deadline).ResponseAsync);

        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task A_retry_is_told_what_differs_even_where_a_new_request_would_be_refused()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var asAlice = platform.PaymentsAs("alice", CustomerScopes);
        var first = Pay(alice, bob, 10, wait: true);
        await asAlice.CreatePaymentAsync(first, deadline: platform.Deadline);
        var before = await Writes.CountAsync(platform);

        // The same request id, now debiting bob's account: a new request would be refused as not found.
        var swapped = first.Clone();
        swapped.DebitAccountId = bob;
        swapped.CreditAccountId = alice;
        await Refusals.AssertAsync(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT",
            () => asAlice.CreatePaymentAsync(swapped, deadline: platform.Deadline).ResponseAsync);

        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task A_stranger_acting_on_a_payment_learns_neither_its_state_nor_its_accounts()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var asAlice = platform.PaymentsAs("alice", CustomerScopes);
        var mallory = platform.PaymentsAs("mallory", CustomerScopes);
        var paid = (await asAlice.CreatePaymentAsync(Pay(alice, bob, 10, wait: true), deadline: platform.Deadline)).Payment;
        var hold = await HoldAsync(asAlice, alice, bob);
        var before = await Writes.CountAsync(platform);

        var refusals = new[]
        {
            await Assert.ThrowsAsync<RpcException>(() => mallory.CapturePaymentAsync(
                new CapturePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = hold.Id }, deadline: platform.Deadline).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => mallory.VoidPaymentAsync(
                new VoidPaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = paid.Id }, deadline: platform.Deadline).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => mallory.ReversePaymentAsync(
                new ReversePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = hold.Id, AmountMinor = 1 }, deadline: platform.Deadline).ResponseAsync),
        };

        // One answer whatever the target's type and state, naming no account: the one for no payment at all.
        Assert.All(refusals, refusal =>
        {
            Assert.Equal(StatusCode.NotFound, refusal.StatusCode);
            Assert.Equal("PAYMENT_NOT_FOUND", refusal.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
            Assert.DoesNotContain(alice, refusal.Status.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(bob, refusal.Status.Detail, StringComparison.Ordinal);
        });
        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task Acting_on_a_payment_of_the_wrong_type_is_refused_before_anything_is_written()
    {
        var (alice, bob) = await FundedWalletsAsync();
        var asAlice = platform.PaymentsAs("alice", CustomerScopes);
        var paid = (await asAlice.CreatePaymentAsync(Pay(alice, bob, 10, wait: true), deadline: platform.Deadline)).Payment;
        var hold = await HoldAsync(asAlice, alice, bob);
        var before = await Writes.CountAsync(platform);

        // A type never changes, so the ledger's certain refusal is given here, without an intent.
        await Refusals.AssertAsync(StatusCode.NotFound, "PENDING_TRANSFER_NOT_FOUND", () => asAlice.CapturePaymentAsync(
            new CapturePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = paid.Id }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.FailedPrecondition, "REVERSAL_TARGET_NOT_REVERSIBLE", () => platform.PaymentsAs("bob", CustomerScopes)
            .ReversePaymentAsync(new ReversePaymentRequest { RequestId = Guid.NewGuid().ToString(), PaymentId = hold.Id, AmountMinor = 1 },
                deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    private async Task<Payment> HoldAsync(PaymentService.PaymentServiceClient payer, string from, string to) =>
        (await payer.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to, AmountMinor = 10, Currency = "EUR",
            Hold = true, HoldTimeoutMs = 600_000, WaitForOutcome = true,
        }, deadline: platform.Deadline)).Payment;

    [Fact]
    public async Task An_account_refused_as_missing_is_found_once_it_is_opened()
    {
        // Account ids derive from the opening request, so the payer can name the account before it exists.
        var requestId = Guid.NewGuid().ToString();
        var carol = IntentIds.Account(Platform.DefaultPrincipal, requestId).ToString();
        var bob = await platform.OpenAccountAsync("bob");
        var asCarol = platform.PaymentsAs("carol", CustomerScopes);
        await Refusals.AssertAsync(StatusCode.NotFound, "DEBIT_ACCOUNT_NOT_FOUND", () => asCarol.CreatePaymentAsync(
            Pay(carol, bob, 10), deadline: platform.Deadline).ResponseAsync);

        var opened = await platform.LedgerClient.OpenAccountAsync(
            new OpenAccountRequest { RequestId = requestId, Owner = "carol", Currency = "EUR" }, deadline: platform.Deadline);
        Assert.Equal(carol, opened.Account.Id);

        var paid = (await asCarol.CreatePaymentAsync(Pay(carol, bob, 10, wait: true), deadline: platform.Deadline)).Payment;
        Assert.Equal(PaymentStatus.Posted, paid.Status);
        await Refusals.AssertAsync(StatusCode.NotFound, "DEBIT_ACCOUNT_NOT_FOUND", () => platform.PaymentsAs("mallory", CustomerScopes)
            .CreatePaymentAsync(Pay(carol, bob, 10), deadline: platform.Deadline).ResponseAsync);
    }

    // The refusal of a call about `existing`, which the caller may not see, is the refusal of the same call
    // about an id nothing has, word for word but for the id: so the caller cannot tell the two apart.
    private static async Task AssertConcealedAsync(StatusCode status, string reason, string existing, Func<string, Task> call)
    {
        var absent = Guid.NewGuid().ToString();
        var concealed = await Assert.ThrowsAsync<RpcException>(() => call(existing));
        var missing = await Assert.ThrowsAsync<RpcException>(() => call(absent));

        Assert.Equal((status, reason), (concealed.StatusCode, concealed.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason));
        Assert.Equal((missing.StatusCode, missing.Status.Detail.Replace(absent, existing, StringComparison.Ordinal)),
            (concealed.StatusCode, concealed.Status.Detail));
        Assert.Equal(missing.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata.ToString().Replace(absent, existing, StringComparison.Ordinal),
            concealed.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata.ToString());
    }

    // Accounts owned by "alice" and "bob", opened and funded by the administrator (the default principal).
    private async Task<(string Alice, string Bob)> FundedWalletsAsync()
    {
        var funding = await platform.OpenAccountAsync("treasury");
        var alice = await platform.OpenAccountAsync("alice", noOverdraft: true);
        var bob = await platform.OpenAccountAsync("bob", noOverdraft: true);
        await platform.PayAsync(funding, alice, 1000);
        await platform.PayAsync(funding, bob, 1000);
        return (alice, bob);
    }

    private static CreatePaymentRequest Pay(string from, string to, long amount, bool wait = false) => new()
    {
        RequestId = Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to, AmountMinor = amount, Currency = "EUR",
        WaitForOutcome = wait,
    };
}
