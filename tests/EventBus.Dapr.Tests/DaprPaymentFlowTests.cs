using Google.Rpc;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Ledger.Replay;
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

        // The sidecar replaced each delivered event's traceparent with its own; the two transfers and the
        // refusal still carry the intents' trace ids, which the hash covers and a replay from the log finds.
        Assert.Equal((3L, 0L), await TraceIdsAsync());

        // The writer records each delivered intent's log offset with its rows, as under the PostgreSQL
        // transport, so a rebuild replays exactly what it had applied and would see a lost tail.
        await using var rebuilt = await TestDatabase.CreateAsync();
        var replay = await LedgerRebuilder.RebuildAsync(fixture.Platform.Database.Ledger, rebuilt.Owner, "main", CancellationToken.None);
        Assert.True(replay.Identical, string.Join("; ", replay.Differences));
        Assert.Equal(6, replay.IntentsReplayed);
    }

    // The ledger rows found with their intents in the log, and how many of them carry another trace id.
    private async Task<(long Rows, long Differing)> TraceIdsAsync()
    {
        var ledger = fixture.Platform.Database.Ledger;
        const string Joined = """
            from (select event_id, trace_id from ledger.transfers union all select event_id, trace_id from ledger.rejections) r
            join eventlog.events e on e.topic = 'payments' and e.id = r.event_id
            """;
        return (await ledger.ScalarAsync<long>($"select count(*) {Joined}"),
            await ledger.ScalarAsync<long>($"select count(*) {Joined} where r.trace_id is distinct from split_part(e.traceparent, '-', 2)"));
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
