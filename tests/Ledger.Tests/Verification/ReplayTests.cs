using Npgsql;
using Payments.Ledger.Replay;
using Payments.Postgres;
using Payments.Testing;

namespace Payments.Ledger.Tests.Verification;

public sealed class ReplayTests
{
    [Fact]
    public async Task Rebuilding_from_the_event_log_gives_the_identical_ledger()
    {
        await using var live = await TestDatabase.CreateAsync();
        await Workloads.RunMixedAsync(live, transfers: 300);
        await using var rebuilt = await TestDatabase.CreateAsync();

        var result = await LedgerRebuilder.RebuildAsync(live.Ledger, rebuilt.Owner, "main", CancellationToken.None);

        Assert.True(result.Identical, $"live {result.LiveHash} vs rebuilt {result.RebuiltHash}: {string.Join("; ", result.Differences)}");
        Assert.True(result.Live.HeadSequence > 100);
        foreach (var kind in new[] { "PENDING", "POST_PENDING", "VOID_PENDING", "REVERSAL" })
        {
            Assert.True(await live.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers where kind = $1", kind) > 0, $"the workload has {kind} transfers");
        }

        Assert.True(await live.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers where expired") > 0, "the workload expires holds");
        Assert.True(await live.Ledger.ScalarAsync<long>("select count(*) from ledger.payouts") > 0, "the workload has payouts");
        Assert.Equal(result.Live.HeadSequence, result.Rebuilt.HeadSequence);
        Assert.Equal(result.Live.HeadSequence, result.ComparedSequence);
        Assert.True(await live.Ledger.ScalarAsync<long>("select count(*) from ledger.account_events") > 0, "the workload changes account status");
        foreach (var table in new[] { "ledger.transfers", "ledger.entries", "ledger.accounts", "ledger.account_events", "ledger.rejections", "ledger.payouts", "ledger.clock_ticks" })
        {
            Assert.Equal(await FingerprintAsync(live, table), await FingerprintAsync(rebuilt, table));
        }

        await LedgerInvariants.AssertHoldAsync(rebuilt.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(rebuilt.Ledger);
    }

    [Fact]
    public async Task A_live_ledger_that_lost_its_last_transfer_is_not_identical_to_its_rebuild()
    {
        await using var live = await TestDatabase.CreateAsync();
        await using (Writer.LedgerWriterHarness.Start(live))
        {
            var from = Writer.Intents.OpenAccount();
            var to = Writer.Intents.OpenAccount();
            await Writer.LedgerWriterHarness.PublishAndWaitAsync(live, from.Event, to.Event,
                Writer.Intents.Pay(from.Id, to.Id, 100).Event, Writer.Intents.Pay(from.Id, to.Id, 200).Event);
        }

        // What is left still verifies: nothing follows the new end of the chain to betray it.
        await live.Superuser.ExecuteAsync("""
            set session_replication_role = replica;
            delete from ledger.entries where ledger_seq = (select max(seq) from ledger.transfers);
            delete from ledger.transfers where seq = (select max(seq) from ledger.transfers);
            """);
        await using var rebuilt = await TestDatabase.CreateAsync();

        var result = await LedgerRebuilder.RebuildAsync(live.Ledger, rebuilt.Owner, "main", CancellationToken.None);

        Assert.True(result.Live.IsIntact);
        Assert.Equal(result.Live.HeadSequence + 1, result.Rebuilt.HeadSequence);
        Assert.False(result.Identical, "a lost last transfer went unnoticed");
    }

    [Fact]
    public async Task A_log_with_intents_cut_out_of_it_is_not_identical_to_its_rebuild()
    {
        await using var live = await TestDatabase.CreateAsync();
        var from = Writer.Intents.OpenAccount();
        var to = Writer.Intents.OpenAccount();
        // Events the ledger ignores, wide enough a gap once removed to end a page of the copy.
        var ignored = Enumerable.Range(0, 2_100).Select(_ => new EventBus.EventEnvelope(
            Guid.NewGuid(), "tests.v1.Ignored", "tests", "x", "main", DateTimeOffset.UtcNow, null, "{}")).ToList();
        await using (Writer.LedgerWriterHarness.Start(live))
        {
            await Writer.LedgerWriterHarness.PublishAndWaitAsync(live, [from.Event, to.Event, .. ignored, Writer.Intents.Pay(from.Id, to.Id, 100).Event]);
        }

        await live.Superuser.ExecuteAsync("""
            set session_replication_role = replica;
            delete from eventlog.events where topic = 'payments' and type = 'tests.v1.Ignored';
            """);
        await using var rebuilt = await TestDatabase.CreateAsync();

        var result = await LedgerRebuilder.RebuildAsync(live.Ledger, rebuilt.Owner, "main", CancellationToken.None);

        Assert.False(result.Identical, "a log cut short passed as the ledger's whole story");
        Assert.Equal(["the log misses the intents at offsets 3 to 2102"], result.Differences);
    }

    [Fact]
    public async Task A_live_ledger_whose_rows_outside_the_chain_were_changed_is_not_identical_to_its_rebuild()
    {
        await using var live = await TestDatabase.CreateAsync();
        var from = Writer.Intents.OpenAccount(noOverdraft: true);
        var to = Writer.Intents.OpenAccount();
        await using (Writer.LedgerWriterHarness.Start(live))
        {
            // The payment is refused: the account holds nothing. The rejection and the accounts are not in the chain.
            await Writer.LedgerWriterHarness.PublishAndWaitAsync(live, from.Event, to.Event, Writer.Intents.Pay(from.Id, to.Id, 100).Event);
        }

        await live.Superuser.ExecuteAsync("""
            set session_replication_role = replica;
            update ledger.rejections set code = 'ACCOUNT_FROZEN';
            update ledger.accounts set debits_must_not_exceed_credits = false;
            update eventlog.events set subject = 'someone else' where topic = 'ledger' and type like '%IntentRejected';
            """);
        await using var rebuilt = await TestDatabase.CreateAsync();

        var result = await LedgerRebuilder.RebuildAsync(live.Ledger, rebuilt.Owner, "main", CancellationToken.None);

        Assert.True(result.Live.IsIntact);
        Assert.Equal(result.LiveHash, result.RebuiltHash);
        Assert.False(result.Identical, "rows outside the hash chain were changed and the rebuild did not notice");
        Assert.Equal(["ledger.accounts", "ledger.rejections", "the"], result.Differences.Select(d => d.Split(' ')[0]).ToList());
        Assert.Contains("ACCOUNT_FROZEN", result.Differences[1]);
        Assert.Contains("someone else", result.Differences[2]);
    }

    [Fact]
    public async Task The_comparison_does_not_depend_on_the_sessions_time_zone()
    {
        await using var live = await TestDatabase.CreateAsync();
        await Workloads.RunMixedAsync(live, transfers: 20);
        // Per database and role, so no other test's sessions see it; a fresh data source's sessions do.
        await live.Superuser.ExecuteAsync($"alter role {DatabaseRoles.LedgerWriter} in database \"{live.Name}\" set timezone = 'America/New_York'");
        await using var liveInNewYork = NpgsqlDataSource.Create(live.ConnectionString(DatabaseRoles.LedgerWriter));
        await using var rebuilt = await TestDatabase.CreateAsync();

        var result = await LedgerRebuilder.RebuildAsync(liveInNewYork, rebuilt.Owner, "main", CancellationToken.None);

        Assert.Equal("America/New_York", await liveInNewYork.ScalarAsync<string>("show timezone"));
        Assert.True(result.Identical, string.Join("; ", result.Differences));
    }

    [Fact]
    public async Task Intents_the_live_writer_has_not_consumed_yet_are_left_out_of_the_comparison()
    {
        await using var live = await TestDatabase.CreateAsync();
        var from = Writer.Intents.OpenAccount();
        var to = Writer.Intents.OpenAccount();
        await using (Writer.LedgerWriterHarness.Start(live))
        {
            await Writer.LedgerWriterHarness.PublishAndWaitAsync(live, from.Event, to.Event, Writer.Intents.Pay(from.Id, to.Id, 100).Event);
        }

        // Appended while no writer runs: the live ledger has not decided them, so the rebuild must not either.
        await new EventBus.Postgres.PostgresEventPublisher(live.Ledger).PublishAsync(
            Writer.Intents.Topic, [Writer.Intents.Pay(from.Id, to.Id, 200).Event, Writer.Intents.Pay(from.Id, to.Id, 300).Event], CancellationToken.None);
        await using var rebuilt = await TestDatabase.CreateAsync();

        var result = await LedgerRebuilder.RebuildAsync(live.Ledger, rebuilt.Owner, "main", CancellationToken.None);

        Assert.True(result.Identical, string.Join("; ", result.Differences));
        Assert.Equal(3, result.IntentsReplayed);
        Assert.Equal(1, result.ComparedSequence);
        Assert.Equal(1, await rebuilt.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers"));
    }

    // Every column of every row, in a stable order: equal fingerprints mean equal tables.
    private static Task<string> FingerprintAsync(TestDatabase database, string table) =>
        database.Ledger.ScalarAsync<string>($"select coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from {table} t");
}
