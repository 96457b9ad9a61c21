using System.Data.Common;
using Payments.Contracts;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Ledger.Tests.Writer;

public sealed class LedgerWriterTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_transfer_posts_one_debit_and_one_credit_with_running_balances()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var funding = Intents.OpenAccount(owner: "treasury");
        var wallet = Intents.OpenAccount(noOverdraft: true);
        var deposit = Intents.Pay(funding.Id, wallet.Id, 10_000);
        var spend = Intents.Pay(wallet.Id, funding.Id, 2_500);
        await LedgerWriterHarness.PublishAndWaitAsync(database, funding.Event, wallet.Event, deposit.Event, spend.Event);

        Assert.Equal(2L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from ledger.entries where transfer_id = $1", deposit.Id));
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>("""
            select sum(case direction when 'D' then -amount_minor else amount_minor end)::bigint
            from ledger.entries where transfer_id = any($1)
            """, new[] { deposit.Id, spend.Id }));
        Assert.Equal(7_500L, await database.Ledger.ScalarAsync<long>(
            "select credits_posted - debits_posted from ledger.entries where account_id = $1 order by account_seq desc limit 1", wallet.Id));
        Assert.Equal(2L, await database.Ledger.ScalarAsync<long>(
            "select max(account_seq) from ledger.entries where account_id = $1", wallet.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(database.Ledger);
    }

    [Fact]
    public async Task A_refused_intent_is_recorded_with_its_code_and_announced()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var empty = Intents.OpenAccount(noOverdraft: true);
        var other = Intents.OpenAccount();
        var overdraft = Intents.Pay(empty.Id, other.Id, 1);
        var badCurrency = Intents.Pay(other.Id, empty.Id, 1, currency: "USD");
        await LedgerWriterHarness.PublishAndWaitAsync(database, empty.Event, other.Event, overdraft.Event, badCurrency.Event);

        Assert.Equal("EXCEEDS_CREDITS", await database.Ledger.ScalarAsync<string>(
            "select code from ledger.rejections where intent_id = $1", overdraft.Id));
        Assert.Equal("CURRENCY_MISMATCH", await database.Ledger.ScalarAsync<string>(
            "select code from ledger.rejections where intent_id = $1", badCurrency.Id));
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from ledger.transfers where id = any($1)", new[] { overdraft.Id, badCurrency.Id }));
        Assert.Equal("events.v1.IntentRejected", await database.Ledger.ScalarAsync<string>(
            "select type from eventlog.events where topic = 'ledger' and subject = $1", overdraft.Id.ToString()));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task A_republished_intent_produces_no_second_effect()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var payment = Intents.Pay(from.Id, to.Id, 700);
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event, payment.Event);

        // The same event id is deduplicated by the log; the same intent under a new event id by the ledger.
        await LedgerWriterHarness.PublishAndWaitAsync(database, payment.Event, Intents.Republished(payment.Event), Intents.Republished(from.Event));

        Assert.Equal(1L, await database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers where id = $1", payment.Id));
        Assert.Equal(1L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from eventlog.events where topic = 'ledger' and subject = $1", payment.Id.ToString()));
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>("select count(*) from ledger.rejections where intent_id = $1", payment.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task A_batch_delivered_twice_at_least_once_posts_once()
    {
        // Delivery as a broker without transactions does it (Dapr): no offset in the transaction, and the
        // same batch may come again. The ledger's own idempotency must absorb it.
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var payment = Intents.Pay(from.Id, to.Id, 42);
        var batch = new EventBatch(EventTopics.Payments, [from.Event, to.Event, payment.Event], new NoProgress());
        var writer = NewWriter();
        await writer.OnAssignedAsync(CancellationToken.None);
        await writer.HandleAsync(batch, CancellationToken.None);
        await writer.OnAssignedAsync(CancellationToken.None);
        await writer.HandleAsync(batch, CancellationToken.None);

        Assert.Equal(1L, await database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers where id = $1", payment.Id));
        Assert.Equal(2L, await database.Ledger.ScalarAsync<long>("select count(*) from ledger.entries where transfer_id = $1", payment.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task A_batch_staged_while_the_one_before_is_uncommitted_builds_on_its_effects()
    {
        // What the pipeline does: batch 2 is decided before batch 1 has written a row. Everything it refers
        // to (accounts, a transfer, an intent id) exists only in the writer's books at that point.
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount(noOverdraft: true);
        var payment = Intents.Pay(from.Id, to.Id, 900);
        var hold = Intents.Hold(from.Id, to.Id, 300, TimeSpan.FromMinutes(5));
        var writer = NewWriter();
        await writer.OnAssignedAsync(CancellationToken.None);
        var first = await writer.StageAsync(
            new EventBatch(EventTopics.Payments, [from.Event, to.Event, payment.Event, hold.Event], new NoProgress()),
            Task.CompletedTask, CancellationToken.None);

        var reversal = Intents.Reverse(payment.Id, 400);
        var capture = Intents.Capture(hold.Id);
        var spend = Intents.Pay(to.Id, from.Id, 800);
        var firstCommitted = new TaskCompletionSource();
        var second = await writer.StageAsync(
            new EventBatch(EventTopics.Payments, [Intents.Republished(payment.Event), reversal.Event, capture.Event, spend.Event], new NoProgress()),
            firstCommitted.Task, CancellationToken.None);
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>("select count(*) from ledger.accounts where id = any($1)", new[] { from.Id, to.Id }));

        await first(CancellationToken.None);
        firstCommitted.SetResult();
        await second(CancellationToken.None);

        Assert.Equal(1L, await database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers where id = $1", payment.Id));
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from ledger.rejections where intent_id = any($1)", new[] { payment.Id, reversal.Id, capture.Id }));
        // 900 in, 400 reversed, 300 captured: 800 of the 800 spent; one more minor unit would have been refused.
        Assert.Equal(1L, await database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers where id = $1", spend.Id));
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>(
            "select credits_posted - debits_posted from ledger.entries where account_id = $1 order by account_seq desc limit 1", to.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task Rows_outcomes_and_progress_commit_together_or_not_at_all()
    {
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var payment = Intents.Pay(from.Id, to.Id, 5);
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfterSaveProgress(cancel);
        var writer = NewWriter();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            writer.HandleAsync(new EventBatch(EventTopics.Payments, [from.Event, to.Event, payment.Event], progress), cancel.Token));

        Assert.True(progress.Saved);
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from eventlog.consumer_offsets where consumer = $1", progress.Marker));
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from ledger.accounts where id = any($1)", new[] { from.Id, to.Id }));
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from eventlog.events where topic = 'ledger' and subject = any($1)",
            (object)new[] { from.Id.ToString(), to.Id.ToString(), payment.Id.ToString() }));
    }

    [Fact]
    public async Task A_second_writer_waits_as_standby_and_takes_over()
    {
        var first = LedgerWriterHarness.Start(database);
        await Eventually.WaitUntilAsync(() => Task.FromResult(first.Counted.Assignments == 1), TimeSpan.FromSeconds(10), "the first writer is active");
        await using var second = LedgerWriterHarness.Start(database);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event, Intents.Pay(from.Id, to.Id, 1).Event);
        Assert.True(first.Counted.Batches > 0);
        Assert.Equal(0, second.Counted.Assignments);

        await first.DisposeAsync();
        var after = Intents.Pay(from.Id, to.Id, 2);
        await LedgerWriterHarness.PublishAndWaitAsync(database, after.Event);
        Assert.Equal(1, second.Counted.Assignments);
        Assert.Equal(1L, await database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers where id = $1", after.Id));
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }

    [Fact]
    public async Task The_trace_id_of_the_request_is_stored_on_the_transfer()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var payment = Intents.Pay(from.Id, to.Id, 9, traceParent: $"00-{traceId}-00f067aa0ba902b7-01");
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event, payment.Event);

        Assert.Equal(traceId, await database.Ledger.ScalarAsync<string>("select trace_id from ledger.transfers where id = $1", payment.Id));
    }

    private LedgerWriter NewWriter() =>
        new(database.Ledger, new PostgresEventOutbox(), new LedgerOptions { Name = Intents.Ledger }, LedgerWriterMetrics.ForReplay(Intents.Ledger));

    private sealed class NoProgress : IDeliveryProgress
    {
        public Task SaveAsync(DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Writes a marker in the writer's transaction, then cancels the batch halfway.</summary>
    private sealed class CancelAfterSaveProgress(CancellationTokenSource cancel) : IDeliveryProgress
    {
        public string Marker { get; } = "marker-" + Guid.NewGuid();

        public bool Saved { get; private set; }

        public async Task SaveAsync(DbTransaction transaction, CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.CommandText = $"insert into eventlog.consumer_offsets (consumer, topic, \"offset\") values ('{Marker}', 'payments', 1)";
            await command.ExecuteNonQueryAsync(cancellationToken);
            Saved = true;
            await cancel.CancelAsync();
        }
    }
}
