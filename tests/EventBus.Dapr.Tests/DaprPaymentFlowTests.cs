using Google.Rpc;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Testing;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>
/// A payment's whole path on the Dapr transport: the API appends the intent to the log, the Ledger's
/// relay publishes it through the sidecar, the sidecar pushes it back to the Ledger's subscription, the
/// writer applies it and writes the outcome to the log (relayed too), and the waiting call returns.
/// </summary>
public sealed class DaprPaymentFlowTests(DaprPlatform fixture) : IClassFixture<DaprPlatform>
{
    [Fact]
    public async Task AccountsOpenPaymentsPostAndARetryGetsTheOriginalPayment()
    {
        var funding = await OpenAccountAsync("treasury");
        var alice = await OpenAccountAsync("alice", noOverdraft: true);
        var bob = await OpenAccountAsync("bob", noOverdraft: true);

        var deposit = await PayAsync(funding, alice, 100_000, "deposit-1");
        Assert.Equal(PaymentStatus.Posted, deposit.Status);
        Assert.Equal(PaymentStatus.Posted, (await PayAsync(alice, bob, 30_000, "pay-bob")).Status);
        var refused = await Assert.ThrowsAsync<RpcException>(() => PayAsync(bob, alice, 50_000, "too-much"));
        Assert.Equal("EXCEEDS_CREDITS", refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        var retried = await PayAsync(funding, alice, 100_000, "deposit-1");
        Assert.Equal((deposit.Id, deposit.LedgerSequence), (retried.Id, retried.LedgerSequence));

        var balance = await fixture.Platform.LedgerClient.GetBalanceAsync(new GetBalanceRequest { AccountId = alice }, deadline: fixture.Platform.Deadline);
        Assert.Equal(70_000, balance.Balance.PostedMinor);
        // Six intents, each pushed and acknowledged once (the retry is a re-publish the log dedupes).
        Assert.Equal((6, 0, 0), fixture.Sidecar.DeliveryCounts("payments"));
        await Eventually.WaitUntilAsync(() => Task.FromResult(fixture.Sidecar.Published.Count(p => p.Topic == "ledger") >= 6),
            TimeSpan.FromSeconds(30), "the six outcomes are relayed to the ledger topic");
        await LedgerInvariants.AssertHoldAsync(fixture.Platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(fixture.Platform.Database.Ledger);
    }

    private async Task<string> OpenAccountAsync(string owner, bool noOverdraft = false) =>
        (await fixture.Platform.LedgerClient.OpenAccountAsync(new OpenAccountRequest
        {
            RequestId = Guid.NewGuid().ToString(), Owner = owner, Currency = "EUR",
            Flags = new AccountFlags { DebitsMustNotExceedCredits = noOverdraft },
        }, deadline: fixture.Platform.Deadline)).Account.Id;

    private async Task<Payment> PayAsync(string from, string to, long amountMinor, string requestId) =>
        (await fixture.Platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = requestId, DebitAccountId = from, CreditAccountId = to, AmountMinor = amountMinor, Currency = "EUR",
            WaitForOutcome = true,
        }, deadline: fixture.Platform.Deadline)).Payment;
}
