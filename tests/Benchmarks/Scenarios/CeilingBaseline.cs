using System.Diagnostics;
using Payments.Benchmarks.Measurement;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Benchmarks.Scenarios;

/// <summary>
/// The ceiling: the very rows the ledger writes (transfers and entries, hashed in advance), inserted by
/// binary COPY in batches of the writer's size into the same tables, with no log, no decoding, no
/// validation, no outcome events and no offsets. Nothing that keeps those rows correct can beat it.
/// </summary>
internal static class CeilingBaseline
{
    public static async Task<Result> RunAsync(TestDatabase database, Settings settings)
    {
        var accounts = Enumerable.Range(0, Settings.Accounts).Select(InProcessWriter.OpenAccount).ToList();
        await InProcessWriter.PublishAsync(database, accounts.Select(a => a.Event));
        await InProcessWriter.RunUntilCaughtUpAsync(database);

        var batches = Prepare(accounts.Select(a => a.Id).ToList(), settings.CeilingTransfers);
        var clock = Stopwatch.StartNew();
        await using var connection = await database.Ledger.OpenConnectionAsync();
        foreach (var batch in batches)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await LedgerWriteStore.InsertAsync(connection, batch, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new Result("baseline: ceiling (raw COPY of same rows)", settings.CeilingTransfers / seconds, 0, 0, 0,
            Memory.PeakMegabytesOfThisProcess(), $"batches of {Settings.WriterBatchSizeMax}");
    }

    private static List<LedgerChanges> Prepare(List<Guid> accountIds, int count)
    {
        var random = new Random(7);
        var states = accountIds.ToDictionary(id => id, id => AccountState.Opened(new Account(id, InProcessWriter.Ledger, "EUR", "bench",
            AccountLimits.None, Guid.NewGuid(), DateTimeOffset.UnixEpoch)));
        var head = ChainHead.Genesis;
        var batches = new List<LedgerChanges>();
        for (var i = 0; i < count; i++)
        {
            if (i % Settings.WriterBatchSizeMax == 0)
            {
                batches.Add(new LedgerChanges());
            }

            var from = accountIds[random.Next(accountIds.Count)];
            var to = accountIds[random.Next(accountIds.Count)];
            to = to == from ? accountIds[(accountIds.IndexOf(from) + 1) % accountIds.Count] : to;
            var posted = TransferPosting.Commit(new TransferDraft(Guid.NewGuid(), InProcessWriter.Ledger, TransferKind.Posted, from, to,
                random.Next(1, 1000), 0, "EUR", Guid.NewGuid(), null, "bench", DateTimeOffset.UtcNow), states[from], states[to], head);
            states[from] = posted.DebitAfter;
            states[to] = posted.CreditAfter;
            head = new ChainHead(posted.Transfer.Sequence, posted.Transfer.Hash);
            batches[^1].Transfers.Add(posted.Transfer);
        }

        return batches;
    }
}
