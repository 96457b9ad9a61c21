using Payments.Contracts.LedgerV1;
using Payments.Testing;

namespace Payments.Ledger.Tests.Writer;

public sealed class HoldsAndReversalsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private Task<long> Scalar(string sql, params object[] parameters) => database.Ledger.ScalarAsync<long>(sql, parameters);

    private Task<string> Code(Guid intent) => database.Ledger.ScalarAsync<string>("select code from ledger.rejections where intent_id = $1", intent);

    private Task<long> Balance(Guid account, string column) => Scalar(
        $"select coalesce((select {column} from ledger.entries where account_id = $1 order by account_seq desc limit 1), 0)", account);

    [Fact]
    public async Task A_hold_reserves_funds_and_a_partial_capture_posts_part_and_releases_the_rest()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var funding = Intents.OpenAccount();
        var wallet = Intents.OpenAccount(noOverdraft: true);
        var merchant = Intents.OpenAccount();
        var deposit = Intents.Pay(funding.Id, wallet.Id, 1_000);
        var hold = Intents.Hold(wallet.Id, merchant.Id, 800, Minute);
        var tooMuch = Intents.Pay(wallet.Id, merchant.Id, 300);
        await LedgerWriterHarness.PublishAndWaitAsync(database, funding.Event, wallet.Event, merchant.Event, deposit.Event, hold.Event, tooMuch.Event);

        Assert.Equal(800, await Balance(wallet.Id, "debits_pending"));
        Assert.Equal("EXCEEDS_CREDITS", await Code(tooMuch.Id));

        var capture = Intents.Capture(hold.Id, 600);
        var secondCapture = Intents.Capture(hold.Id);
        var lateVoid = Intents.Void(hold.Id);
        await LedgerWriterHarness.PublishAndWaitAsync(database, capture.Event, secondCapture.Event, lateVoid.Event);

        Assert.Equal(0, await Balance(wallet.Id, "debits_pending"));
        Assert.Equal(600, await Balance(wallet.Id, "debits_posted"));
        Assert.Equal(600, await Balance(merchant.Id, "credits_posted"));
        Assert.Equal(0, await Balance(merchant.Id, "credits_pending"));
        Assert.Equal("ALREADY_POSTED", await Code(secondCapture.Id));
        Assert.Equal("ALREADY_POSTED", await Code(lateVoid.Id));
        // The capture's outcome is about the capture, and names the hold, whose followers it changes.
        Assert.Equal(hold.Id.ToString(), await database.Ledger.ScalarAsync<string>(
            "select data->>'pendingId' from eventlog.events where topic = 'ledger' and subject = $1", capture.Id.ToString()));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task A_voided_hold_gives_everything_back()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var hold = Intents.Hold(from.Id, to.Id, 250, Minute);
        var cancel = Intents.Void(hold.Id);
        var captureAfter = Intents.Capture(hold.Id);
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event, hold.Event, cancel.Event, captureAfter.Event);

        Assert.Equal(0, await Balance(from.Id, "debits_pending"));
        Assert.Equal(0, await Balance(from.Id, "debits_posted"));
        Assert.Equal(hold.Id.ToString(), await database.Ledger.ScalarAsync<string>(
            "select data->>'pendingId' from eventlog.events where topic = 'ledger' and subject = $1", cancel.Id.ToString()));
        Assert.Equal(2, await Scalar("select count(*) from ledger.entries where account_id = $1", from.Id));
        Assert.Equal("ALREADY_VOIDED", await Code(captureAfter.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task A_tick_expires_exactly_the_holds_that_are_due_and_only_once()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var start = DateTimeOffset.UtcNow;
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var early = Intents.Hold(from.Id, to.Id, 10, TimeSpan.FromSeconds(5), at: start);
        var late = Intents.Hold(from.Id, to.Id, 20, TimeSpan.FromSeconds(50), at: start);
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event, early.Event, late.Event);

        // The clock's reading comes from the log, so the test can stand in for the clock.
        var expiresOne = Intents.Tick(start.AddSeconds(10));
        var tooLate = Intents.Capture(early.Id, at: start.AddSeconds(11));
        await LedgerWriterHarness.PublishAndWaitAsync(database, expiresOne, Intents.Tick(start.AddSeconds(12)), tooLate.Event);

        Assert.Equal(1, await Scalar("select count(*) from ledger.transfers where pending_id = $1 and expired", early.Id));
        Assert.Equal(0, await Scalar("select count(*) from ledger.transfers where pending_id = $1", late.Id));
        Assert.Equal(20, await Balance(from.Id, "debits_pending"));
        Assert.Equal("PENDING_TRANSFER_EXPIRED", await Code(tooLate.Id));
        Assert.Equal("events.v1.TransferPosted", await database.Ledger.ScalarAsync<string>(
            "select type from eventlog.events where topic = 'ledger' and subject = $1 order by seq desc limit 1", early.Id.ToString()));

        await LedgerWriterHarness.PublishAndWaitAsync(database, Intents.Tick(start.AddSeconds(60)));
        Assert.Equal(0, await Balance(from.Id, "debits_pending"));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(database.Ledger);
    }

    [Fact]
    public async Task A_hold_created_and_expired_within_one_batch_is_released()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var start = DateTimeOffset.UtcNow;
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var hold = Intents.Hold(from.Id, to.Id, 30, TimeSpan.FromSeconds(1), at: start);
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event, hold.Event, Intents.Tick(start.AddSeconds(2)));

        Assert.Equal(1, await Scalar("select count(*) from ledger.transfers where pending_id = $1 and expired", hold.Id));
        Assert.Equal(0, await Balance(from.Id, "debits_pending"));
    }

    [Fact]
    public async Task Reversals_move_money_back_in_parts_never_beyond_the_original()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var customer = Intents.OpenAccount();
        var merchant = Intents.OpenAccount();
        var sale = Intents.Pay(customer.Id, merchant.Id, 1_000);
        var partial = Intents.Reverse(sale.Id, 300);
        var rest = Intents.Reverse(sale.Id);
        var beyond = Intents.Reverse(sale.Id, 1);
        var ofReversal = Intents.Reverse(partial.Id);
        await LedgerWriterHarness.PublishAndWaitAsync(database, customer.Event, merchant.Event, sale.Event, partial.Event, rest.Event, beyond.Event, ofReversal.Event);

        Assert.Equal(700, await Scalar("select amount_minor from ledger.transfers where id = $1", rest.Id));
        Assert.Equal(0, await Balance(merchant.Id, "credits_posted") - await Balance(merchant.Id, "debits_posted"));
        Assert.Equal("EXCEEDS_REVERSIBLE_AMOUNT", await Code(beyond.Id));
        Assert.Equal("REVERSAL_TARGET_NOT_REVERSIBLE", await Code(ofReversal.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task A_frozen_account_refuses_debits_and_a_closed_one_everything_but_releases()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var account = Intents.OpenAccount();
        var other = Intents.OpenAccount();
        var hold = Intents.Hold(account.Id, other.Id, 40, Minute);
        var freeze = Intents.SetStatus(account.Id, AccountStatus.Frozen);
        var debitWhileFrozen = Intents.Pay(account.Id, other.Id, 1);
        var creditWhileFrozen = Intents.Pay(other.Id, account.Id, 5);
        await LedgerWriterHarness.PublishAndWaitAsync(database, account.Event, other.Event, hold.Event, freeze.Event, debitWhileFrozen.Event, creditWhileFrozen.Event);
        Assert.Equal("ACCOUNT_FROZEN", await Code(debitWhileFrozen.Id));
        Assert.Equal(1, await Scalar("select count(*) from ledger.transfers where id = $1", creditWhileFrozen.Id));

        var close = Intents.SetStatus(account.Id, AccountStatus.Closed);
        var creditWhileClosed = Intents.Pay(other.Id, account.Id, 5);
        var release = Intents.Void(hold.Id);
        var reopen = Intents.SetStatus(account.Id, AccountStatus.Active);
        await LedgerWriterHarness.PublishAndWaitAsync(database, close.Event, creditWhileClosed.Event, release.Event, reopen.Event);

        Assert.Equal("ACCOUNT_CLOSED", await Code(creditWhileClosed.Id));
        Assert.Equal("ACCOUNT_CLOSED", await Code(reopen.Id));
        Assert.Equal(1, await Scalar("select count(*) from ledger.transfers where id = $1", release.Id));
        Assert.Equal(2, await Scalar("select count(*) from ledger.account_events where account_id = $1", account.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(database.Ledger);
    }

    [Fact]
    public async Task A_replay_from_offset_zero_changes_nothing_not_even_through_a_tick_older_than_an_open_hold()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var start = DateTimeOffset.UtcNow;
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        // The hold is appended after the tick but expires before the tick's time: the live writer leaves it
        // open (the tick came first); a second delivery of the tick must not expire it now.
        var tick = Intents.Tick(start.AddSeconds(10));
        var hold = Intents.Hold(from.Id, to.Id, 100, TimeSpan.FromSeconds(5), at: start);
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event, tick);
        await LedgerWriterHarness.PublishAndWaitAsync(database, hold.Event);
        var rowsBefore = await Scalar("select (select count(*) from ledger.transfers) + (select count(*) from ledger.rejections)");

        await database.Owner.ExecuteAsync("""update eventlog.consumer_offsets set "offset" = 0 where consumer = $1""",
            Payments.Ledger.Writer.LedgerWriterService.ConsumerName(Intents.Ledger));
        var later = Intents.OpenAccount();
        await LedgerWriterHarness.PublishAndWaitAsync(database, later.Event);

        Assert.Equal(rowsBefore, await Scalar("select (select count(*) from ledger.transfers) + (select count(*) from ledger.rejections)"));
        Assert.Equal(0, await Scalar("select count(*) from ledger.transfers where pending_id = $1", hold.Id));
        Assert.Equal(1, await Scalar("select count(*) from ledger.accounts where id = $1", later.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }
}
