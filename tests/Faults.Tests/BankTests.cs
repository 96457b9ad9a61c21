using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;
using Payments.Faults.Tests.Bank;
using Payments.Ledger.Replay;
using Payments.Ledger.Writer;
using Payments.Settlement.Saga;
using Payments.Testing;
using Xunit.Abstractions;

namespace Payments.Faults.Tests;

/// <summary>
/// The bank test: the real processes under a seeded workload while the nemesis kills the API, the
/// ledger writer and Settlement, restarts PostgreSQL in immediate mode, replays the log from offset
/// zero and re-publishes events. Snapshots during the run and the checker afterwards prove that no money
/// was lost, duplicated or created, and a rebuild from the log gives the identical chain.
/// </summary>
public sealed class BankTests(Platform platform, ITestOutputHelper output) : IClassFixture<Platform>
{
    private const int WalletCount = 6;
    private const long OpeningDeposit = 20_000;
    private const int TailOperations = 200;
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Under_crashes_restarts_and_redeliveries_no_money_is_lost_duplicated_or_created()
    {
        var profile = FaultProfile.FromEnvironment();
        var seed = FaultProfile.SeedFromEnvironment();
        Report($"bank run: profile {profile.Name}, seed {seed} (PAYMENTS_FAULT_SEED={seed} repeats the plan)");
        await platform.StartSettlementAsync();
        var history = new History();
        var accounts = await OpenAccountsAsync(history, seed);

        var random = new Random(seed);
        var nemesis = new Nemesis(platform, random);
        var workload = new BankWorkload(platform, accounts, history, seed);
        var snapshots = new Snapshots(platform);
        using var runTimeout = new CancellationTokenSource(profile.RunTimeout);
        using var stopSnapshots = new CancellationTokenSource();
        var watching = snapshots.RunAsync(stopSnapshots.Token);
        var working = workload.RunAsync(profile, runTimeout.Token);
        await nemesis.RunAsync(profile, Nemesis.Plan(profile, random), runTimeout.Token);
        workload.StopAfter(TailOperations);
        await working;
        try
        {
            await WaitUntilQuietAsync();
        }
        catch (TimeoutException)
        {
            await ReportWhyNotQuietAsync();
            throw;
        }

        await stopSnapshots.CancelAsync();
        await watching;

        var report = await BankChecker.CheckAsync(platform, history);
        var kills = nemesis.Injected;
        int Injected(Fault fault) => kills.GetValueOrDefault(fault);
        Report($"seed {seed}: operations {report.Operations}, transfers {report.Transfers}, " +
               $"kills {Injected(Fault.KillApi) + Injected(Fault.KillLedger) + Injected(Fault.KillSettlement)} " +
               $"(api {Injected(Fault.KillApi)}, ledger {Injected(Fault.KillLedger)}, settlement {Injected(Fault.KillSettlement)}), " +
               $"pg restarts {Injected(Fault.RestartPostgres)}, replays from zero {Injected(Fault.ReplayFromZero)}, " +
               $"duplicate deliveries {Injected(Fault.DuplicateDeliveries)}, snapshots {snapshots.Taken} ({snapshots.Skipped} skipped), " +
               $"acked {report.Acked}, refused {report.Refused}, indeterminate {report.Indeterminate} (posted {report.IndeterminatePosted}): " +
               $"lost {report.Lost}, duplicated {report.Duplicated}, refused but posted {report.RefusedButPosted}, " +
               $"wrong totals {snapshots.WrongTotals}, negative {snapshots.Negative}, rail mismatches {report.RailMismatches}, stuck {report.Stuck}");
        Report("client retries by status: " + string.Join(", ", history.Retries.Select(r => $"{r.Key} {r.Value}")));
        Report("refused by status: " + string.Join(", ", history.Operations.Where(o => o.Ending == Ending.Refused)
            .GroupBy(o => (o.Kind, o.RefusedWith)).Select(g => $"{g.Key.Kind} {g.Key.RefusedWith} {g.Count()}")));

        Assert.Equal(profile.Faults, kills.Values.Sum());
        Assert.True(snapshots.Taken > 0, "snapshots were read during the run");
        Assert.True(report.Acked > report.Operations / 2, "most operations were acknowledged");
        Assert.True(report.Clean, "the checker found anomalies; see the figures above");
        Assert.Equal(0, snapshots.WrongTotals);
        Assert.Equal(0, snapshots.Negative);
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);

        await using var rebuilt = await TestDatabase.CreateAsync();
        var replay = await LedgerRebuilder.RebuildAsync(platform.Database.Ledger, rebuilt.Owner, "main", CancellationToken.None);
        Report($"rebuild: {replay.IntentsReplayed} intents replayed, head {replay.ComparedSequence}, live {replay.LiveHash}, rebuilt {replay.RebuiltHash}");
        Assert.True(replay.Identical, $"live {replay.LiveHash} vs rebuilt {replay.RebuiltHash}: {string.Join("; ", replay.Differences)}");
        Assert.Equal(replay.Live.HeadSequence, replay.ComparedSequence);
    }

    private async Task<BankAccounts> OpenAccountsAsync(History history, int seed)
    {
        async Task<string> Open(string requestId, string owner, bool noOverdraft = false) =>
            (await platform.LedgerClient.OpenAccountAsync(new OpenAccountRequest
            {
                RequestId = requestId, Owner = owner, Currency = "EUR", Flags = new AccountFlags { DebitsMustNotExceedCredits = noOverdraft },
            }, deadline: platform.Deadline)).Account.Id;

        var funding = await Open("funding", "treasury");
        var wallets = new List<string>();
        for (var i = 0; i < WalletCount; i++)
        {
            var wallet = await Open($"wallet-{i}", $"customer-{i}", noOverdraft: true);
            wallets.Add(wallet);
            var requestId = $"opening-{seed}-{i}";
            var deposit = (await platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
            {
                RequestId = requestId, DebitAccountId = funding, CreditAccountId = wallet, AmountMinor = OpeningDeposit, Currency = "EUR",
                WaitForOutcome = true,
            }, deadline: platform.Deadline)).Payment;
            history.Record(new Operation(-1 - i, "deposit", IntentIds.Payment("dev", requestId), Ending.Acked, deposit.Status, null), OpeningDeposit);
        }

        var merchants = new[] { await Open("merchant-0", "merchant-0"), await Open("merchant-1", "merchant-1") };
        var settlement = await Open(Platform.SettlementAccountRequestId("EUR"), "settlement");
        return new BankAccounts(funding, wallets, merchants, settlement);
    }

    // Everything delivered and decided: every consumer at the head of its topic, no reservation open.
    private Task WaitUntilQuietAsync() => Eventually.WaitUntilAsync(() => platform.Database.Ledger.ScalarAsync<bool>("""
        select coalesce((select "offset" from eventlog.consumer_offsets where consumer = $1 and topic = 'payments'), 0)
                 = coalesce((select max(seq) from eventlog.events where topic = 'payments'), 0)
           and coalesce((select "offset" from eventlog.consumer_offsets where consumer = $2 and topic = 'ledger'), 0)
                 = coalesce((select max(seq) from eventlog.events where topic = 'ledger'), 0)
           and coalesce((select "offset" from eventlog.consumer_offsets where consumer = $3 and topic = 'settlement'), 0)
                 = coalesce((select max(seq) from eventlog.events where topic = 'settlement'), 0)
           and not exists (select 1 from ledger.transfers t
                           where t.kind = 'PENDING' and not exists (select 1 from ledger.transfers r where r.pending_id = t.id))
        """, LedgerWriterService.ConsumerName("main"), SettlementWorker.ConsumerName, SettlementRelay.ConsumerName("main")),
        QuietTimeout, "every consumer caught up and every reservation resolved", TimeSpan.FromMilliseconds(250));

    // Which consumer lags, which reservations are open, and what the processes said last.
    private async Task ReportWhyNotQuietAsync()
    {
        await using (var command = platform.Database.Ledger.CreateCommand("""
            select t.topic, t.head, o.consumer, o."offset"
            from (select topic, max(seq) head from eventlog.events group by topic) t
            left join eventlog.consumer_offsets o on o.topic = t.topic
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Report($"topic {reader.GetString(0)} head {reader.GetInt64(1)}: consumer {(reader.IsDBNull(2) ? "-" : reader.GetString(2))} " +
                       $"at {(reader.IsDBNull(3) ? "-" : reader.GetInt64(3))}");
            }
        }

        Report("open reservations: " + await platform.Database.Ledger.ScalarAsync<string>("""
            select coalesce(string_agg(t.id || ' expires ' || t.expires_at || (case when p.transfer_id is null then '' else ' (payout)' end), '; '), 'none')
            from (select * from ledger.transfers t where t.kind = 'PENDING'
                  and not exists (select 1 from ledger.transfers r where r.pending_id = t.id) limit 10) t
            left join ledger.payouts p on p.transfer_id = t.id
            """));
        foreach (var (name, process) in new[] { ("ledger", platform.Ledger), ("api", platform.Api), ("settlement", platform.Settlement!) })
        {
            var tail = string.Join('\n', process.Output.Split('\n').TakeLast(40));
            Report($"--- {name} (exited: {process.HasExited}), last lines:\n{tail}");
        }
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
