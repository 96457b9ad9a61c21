using System.Diagnostics;
using Payments.Benchmarks.Measurement;
using Payments.Testing;

namespace Payments.Benchmarks.Scenarios;

/// <summary>
/// The ledger core: intents preloaded in the log, the writer started cold, timed until it has posted them
/// all (decode, validate against state in memory, COPY, outcome events, offset, one commit per batch).
/// </summary>
internal static class LedgerCore
{
    public static async Task<Result> RunAsync(TestDatabase database, Settings settings, bool hot)
    {
        var accounts = Enumerable.Range(0, hot ? Settings.HotAccounts : Settings.Accounts).Select(InProcessWriter.OpenAccount).ToList();
        await InProcessWriter.PublishAsync(database, accounts.Select(a => a.Event));
        await InProcessWriter.RunUntilCaughtUpAsync(database);

        var random = new Random(hot ? 10 : 1000);
        await InProcessWriter.PublishAsync(database, Enumerable.Range(0, settings.CoreTransfers).Select(_ =>
        {
            var (from, to) = hot ? HotPair(random) : (random.Next(accounts.Count), random.Next(accounts.Count));
            return InProcessWriter.Pay(accounts[from].Id, accounts[to == from ? (to + 1) % accounts.Count : to].Id, random.Next(1, 1000));
        }));

        var clock = Stopwatch.StartNew();
        await InProcessWriter.RunUntilCaughtUpAsync(database);
        var seconds = clock.Elapsed.TotalSeconds;

        var posted = await database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers");
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
        return new Result(hot ? "ledger core, 10 hot accounts (skewed)" : "ledger core, 1000 accounts (uniform)", posted / seconds,
            0, 0, 0, Memory.PeakMegabytesOfThisProcess(), $"{posted:N0} transfers in {seconds:0.00} s, invariants checked");
    }

    // Eight in ten transfers touch the two hottest accounts.
    private static (int From, int To) HotPair(Random random) =>
        random.Next(10) < 8 ? (random.Next(2), 2 + random.Next(Settings.HotAccounts - 2)) : (random.Next(Settings.HotAccounts), random.Next(Settings.HotAccounts));
}
