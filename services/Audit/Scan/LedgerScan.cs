using System.Collections.Concurrent;
using Npgsql;
using Payments.Ledger.Domain;

namespace Payments.Audit.Scan;

/// <summary>
/// One ordered pass over a ledger: transfers and entries each stream as one query in sequence order, on two
/// connections at once, and are zipped together here. No per-row queries and no join on the server, so a
/// deleted or misplaced entry shows up as missing or stray instead of silently dropping its transfer.
/// Reading and checking run on two threads, handing over batches through a bounded queue.
/// </summary>
internal static class LedgerScan
{
    private const int BatchSize = 1024;
    private const int BatchesInFlightMax = 8;

    /// <summary>Feeds every transfer up to <paramref name="headSequence"/> to <paramref name="observers"/>.</summary>
    public static async Task<ScanTotals> RunAsync(NpgsqlDataSource dataSource, string ledger, long headSequence,
        IReadOnlyList<ScanObserver> observers, IProgress<long>? transfersScanned, CancellationToken cancellationToken)
    {
        await using var transferConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var entryConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transfers = await TransferStream.OpenAsync(transferConnection, ledger, headSequence, cancellationToken);
        await using var entries = await EntryStream.OpenAsync(entryConnection, ledger, headSequence, cancellationToken);

        using var batches = new BlockingCollection<ScanItem[]>(BatchesInFlightMax);
        using var checkerFailed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var check = Task.Run(() =>
        {
            try
            {
                Check(batches, observers, transfersScanned, cancellationToken);
            }
            catch
            {
                // Stop the reader, which would otherwise wait for room in the queue for ever.
                checkerFailed.Cancel();
                throw;
            }
        }, CancellationToken.None);
        try
        {
            // The reads block on sockets, so they get a thread of their own rather than the caller's. When the
            // reader fails it completes the queue, so the checker always ends too.
            var totals = await Task.Run(() => Zip(transfers, entries, batches, checkerFailed.Token), CancellationToken.None);
            await check;
            return totals;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await check;
            throw;
        }
    }

    private static ScanTotals Zip(TransferStream transfers, EntryStream entries, BlockingCollection<ScanItem[]> batches, CancellationToken cancellationToken)
    {
        long transferCount = 0, entryCount = 0, head = 0;
        var batch = new List<ScanItem>(BatchSize);
        var next = entries.Next();
        try
        {
            while (transfers.Next() is { } row)
            {
                for (; next is not null && next.LedgerSequence < row.Sequence; next = entries.Next(), entryCount++)
                {
                    batch.Add(new ScanItem(null, next));
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

                batch.Add(new ScanItem(new ScannedTransfer(row, debit, credit, strays ?? (IReadOnlyList<Entry>)[]), null));
                head = row.Sequence;
                transferCount++;
                if (batch.Count >= BatchSize)
                {
                    batches.Add([.. batch], cancellationToken);
                    batch.Clear();
                }
            }

            for (; next is not null; next = entries.Next(), entryCount++)
            {
                batch.Add(new ScanItem(null, next));
            }

            batches.Add([.. batch], cancellationToken);
            return new ScanTotals(transferCount, entryCount, head);
        }
        finally
        {
            batches.CompleteAdding();
        }
    }

    private static void Check(BlockingCollection<ScanItem[]> batches, IReadOnlyList<ScanObserver> observers,
        IProgress<long>? transfersScanned, CancellationToken cancellationToken)
    {
        long transfers = 0;
        foreach (var batch in batches.GetConsumingEnumerable(cancellationToken))
        {
            foreach (var item in batch)
            {
                if (item.Transfer is { } transfer)
                {
                    transfers++;
                    foreach (var observer in observers)
                    {
                        observer.Visit(transfer);
                    }
                }
                else
                {
                    foreach (var observer in observers)
                    {
                        observer.VisitOrphan(item.Orphan!);
                    }
                }
            }

            transfersScanned?.Report(transfers);
        }
    }

    /// <summary>In scan order: a transfer with its entries, or an entry that stands where no transfer does.</summary>
    private readonly record struct ScanItem(ScannedTransfer? Transfer, Entry? Orphan);
}
