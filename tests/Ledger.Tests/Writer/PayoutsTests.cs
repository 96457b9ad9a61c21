using Payments.Contracts.LedgerV1;
using Payments.Testing;

namespace Payments.Ledger.Tests.Writer;

/// <summary>The ledger's side of the payout saga: reserve, then post or compensate on the rail's result.</summary>
public sealed class PayoutsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private Task<long> Scalar(string sql, params object[] parameters) => database.Ledger.ScalarAsync<long>(sql, parameters);

    private Task<string> Code(Guid intent) => database.Ledger.ScalarAsync<string>("select code from ledger.rejections where intent_id = $1", intent);

    private Task<string> SettlementCode(Guid payout) => database.Ledger.ScalarAsync<string>(
        "select code from ledger.rejections where intent_type like 'events.v1.Settlement%' and intent ->> 'paymentId' = $1", payout.ToString());

    private Task<long> Balance(Guid account, string column) => Scalar(
        $"select coalesce((select {column} from ledger.entries where account_id = $1 order by account_seq desc limit 1), 0)", account);

    private Task<long> Resolutions(Guid payout, string kind) =>
        Scalar("select count(*) from ledger.transfers where pending_id = $1 and kind = $2", payout, kind);

    [Fact]
    public async Task A_payout_is_reserved_and_posted_once_when_the_rail_pays_even_if_the_result_comes_twice()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var funding = Intents.OpenAccount();
        var customer = Intents.OpenAccount(noOverdraft: true);
        var settlement = Intents.OpenAccount();
        var deposit = Intents.Pay(funding.Id, customer.Id, 1_000);
        var payout = Intents.Payout(customer.Id, settlement.Id, 700, Minute);
        await LedgerWriterHarness.PublishAndWaitAsync(database, funding.Event, customer.Event, settlement.Event, deposit.Event, payout.Event);

        Assert.Equal(700, await Balance(customer.Id, "debits_pending"));
        Assert.Equal(1, await Scalar("select count(*) from ledger.payouts where transfer_id = $1", payout.Id));
        Assert.Equal(1, await Scalar("select count(*) from eventlog.events where topic = 'ledger' and type = 'events.v1.FundsReserved' and subject = $1",
            payout.Id.ToString()));

        // The rail's answer, then a conflicting late one: the first result decides, the second is no effect at all.
        await LedgerWriterHarness.PublishAndWaitAsync(database, Intents.Settled(payout.Id), Intents.SettlementFailed(payout.Id));

        Assert.Equal(1, await Resolutions(payout.Id, "POST_PENDING"));
        Assert.Equal(0, await Resolutions(payout.Id, "VOID_PENDING"));
        Assert.Equal(0, await Balance(customer.Id, "debits_pending"));
        Assert.Equal(700, await Balance(customer.Id, "debits_posted"));
        Assert.Equal(700, await Balance(settlement.Id, "credits_posted"));
        Assert.Equal(0, await Scalar("select count(*) from ledger.rejections where intent ->> 'paymentId' = $1", payout.Id.ToString()));

        // A payout is reversed by its own id: the money comes back from the settlement account, never more than was paid.
        var refund = Intents.Reverse(payout.Id, 200);
        var tooMuch = Intents.Reverse(payout.Id, 501);
        await LedgerWriterHarness.PublishAndWaitAsync(database, refund.Event, tooMuch.Event);
        Assert.Equal(1_200, await Balance(customer.Id, "credits_posted"));
        Assert.Equal(200, await Balance(settlement.Id, "debits_posted"));
        Assert.Equal("EXCEEDS_REVERSIBLE_AMOUNT", await Code(tooMuch.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task A_failed_payout_is_compensated_and_its_funds_released()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var customer = Intents.OpenAccount();
        var settlement = Intents.OpenAccount();
        var payout = Intents.Payout(customer.Id, settlement.Id, 400, Minute);
        await LedgerWriterHarness.PublishAndWaitAsync(database, customer.Event, settlement.Event, payout.Event,
            Intents.SettlementFailed(payout.Id, ResultCode.SettlementTimedOut));

        Assert.Equal(1, await Resolutions(payout.Id, "VOID_PENDING"));
        Assert.Equal(0, await Balance(customer.Id, "debits_pending"));
        Assert.Equal(0, await Balance(customer.Id, "debits_posted"));
        Assert.Equal(0, await Balance(settlement.Id, "credits_pending"));
        Assert.Equal(4, await Scalar("select count(*) from ledger.entries where account_id in ($1, $2)", customer.Id, settlement.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task Only_the_rail_resolves_a_payout_and_a_result_for_anything_else_is_refused()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var customer = Intents.OpenAccount();
        var settlement = Intents.OpenAccount();
        var payout = Intents.Payout(customer.Id, settlement.Id, 300, Minute);
        var hold = Intents.Hold(customer.Id, settlement.Id, 100, Minute);
        var capture = Intents.Capture(payout.Id);
        var cancel = Intents.Void(payout.Id);
        var noBeneficiary = Intents.Payout(customer.Id, settlement.Id, 50, Minute, beneficiary: " ");
        await LedgerWriterHarness.PublishAndWaitAsync(database, customer.Event, settlement.Event, payout.Event, hold.Event, capture.Event,
            cancel.Event, noBeneficiary.Event, Intents.Settled(hold.Id), Intents.Settled(Guid.NewGuid()));

        Assert.Equal("HOLD_IS_PAYOUT", await Code(capture.Id));
        Assert.Equal("HOLD_IS_PAYOUT", await Code(cancel.Id));
        Assert.Equal("BENEFICIARY_INVALID", await Code(noBeneficiary.Id));
        Assert.Equal("PAYOUT_NOT_FOUND", await SettlementCode(hold.Id));
        Assert.Equal(0, await Resolutions(payout.Id, "POST_PENDING") + await Resolutions(hold.Id, "POST_PENDING"));
        Assert.Equal(400, await Balance(customer.Id, "debits_pending"));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task A_payout_expires_when_no_result_comes_and_a_late_success_is_refused()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var start = DateTimeOffset.UtcNow;
        var customer = Intents.OpenAccount();
        var settlement = Intents.OpenAccount();
        var payout = Intents.Payout(customer.Id, settlement.Id, 250, TimeSpan.FromSeconds(5), at: start);
        await LedgerWriterHarness.PublishAndWaitAsync(database, customer.Event, settlement.Event, payout.Event,
            Intents.Tick(start.AddSeconds(6)), Intents.Settled(payout.Id, at: start.AddSeconds(7)));

        Assert.Equal(1, await Scalar("select count(*) from ledger.transfers where pending_id = $1 and expired", payout.Id));
        Assert.Equal("PENDING_TRANSFER_EXPIRED", await SettlementCode(payout.Id));
        Assert.Equal(0, await Balance(customer.Id, "debits_pending"));
        Assert.Equal(0, await Balance(settlement.Id, "credits_posted"));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(database.Ledger);
    }
}
