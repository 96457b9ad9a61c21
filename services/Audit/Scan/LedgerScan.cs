using Npgsql;
using Payments.Ledger.Domain;

namespace Payments.Audit.Scan;

/// <summary>
/// One ordered pass over a ledger: transfers and entries each stream as one query in sequence order, on two
/// connections at once, and are zipped together here. No per-row queries and no join on the server, so a
/// deleted or misplaced entry shows up as missing or stray instead of silently dropping its transfer.
/// Each stream is decoded on its own thread while a third zips and runs the checks.
/// </summary>
internal static class LedgerScan
{
    private const int ProgressEvery = 8192;

    /// <summary>Feeds every transfer up to <paramref name="headSequence"/> to <paramref name="observers"/>.</summary>
    public static async Task<ScanTotals> RunAsync(NpgsqlDataSource dataSource, string ledger, long headSequence,
        IReadOnlyList<ScanObserver> observers, IProgress<long>? transfersScanned, CancellationToken cancellationToken)
    {
        await using var transferConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var entryConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transferStream = await TransferStream.OpenAsync(transferConnection, ledger, headSequence, cancellationToken);
        await using var entryStream = await EntryStream.OpenAsync(entryConnection, ledger, headSequence, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var transfers = new Prefetcher<TransferRow>(transferStream.Next, stop.Token);
        using var entries = new Prefetcher<Entry>(entryStream.Next, stop.Token);
        try
        {
            var totals = await Task.Run(() => Zip(transfers, entries, observers, transfersScanned, stop.Token), CancellationToken.None);

            // A reader that failed ended its stream early; its exception, not the short scan, is the result.
            await Task.WhenAll(transfers.Reading, entries.Reading);
            return totals;
        }
        finally
        {
            // Readers wait for room in their queues; once nobody consumes, they must be told to stop.
            await stop.CancelAsync();
            await Task.WhenAll(transfers.Reading, entries.Reading).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static ScanTotals Zip(Prefetcher<TransferRow> transfers, Prefetcher<Entry> entries, IReadOnlyList<ScanObserver> observers,
        IProgress<long>? transfersScanned, CancellationToken cancellationToken)
    {
        long transferCount = 0, entryCount = 0, head = 0;
        var next = entries.Next();
        while (transfers.Next() is { } row)
        {
            for (; next is not null && next.LedgerSequence < row.Sequence; next = entries.Next(), entryCount++)
            {
                VisitOrphan(observers, next);
            }

            Entry? debit = null, credit = null;
            List<Entry>? strays = null;
            for (; next is not null && next.LedgerSequence == row.Sequence; next = entries.Next(), entryCount++)
            {
                if (next.TransferId == row.Id && next.Direction == EntryDirection.Debit && debit is null)
                {
                    debit = next;
                }
                else if (next.TransferId == row.Id && next.Direction == EntryDirection.Credit && credit is null)
                {
                    credit = next;
                }
                else
                {
                    (strays ??= []).Add(next);
                }
            }

            var scanned = new ScannedTransfer(row, debit, credit, strays ?? (IReadOnlyList<Entry>)[]);
            foreach (var observer in observers)
            {
                observer.Visit(scanned);
            }

            head = row.Sequence;
            if (++transferCount % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                transfersScanned?.Report(transferCount);
            }
        }

        for (; next is not null; next = entries.Next(), entryCount++)
        {
            VisitOrphan(observers, next);
        }

        transfersScanned?.Report(transferCount);
        return new ScanTotals(transferCount, entryCount, head);
    }

    private static void VisitOrphan(IReadOnlyList<ScanObserver> observers, Entry entry)
    {
        foreach (var observer in observers)
        {
            observer.VisitOrphan(entry);
        }
    }
}
