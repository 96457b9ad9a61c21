using Npgsql;
using Payments.Ledger.Domain;

namespace Payments.Audit.Scan;

/// <summary>
/// One ordered pass over a ledger: transfers and entries each stream by binary COPY in sequence order, on two
/// connections at once, and are zipped together here. No per-row queries and no join on the server, so a
/// deleted or misplaced entry shows up as missing or stray instead of silently dropping its transfer.
/// </summary>
internal static class LedgerScan
{
    private const int ProgressEvery = 8192;

    /// <summary>Feeds every transfer up to <paramref name="headSequence"/> to <paramref name="checks"/>.</summary>
    public static async Task<ScanTotals> RunAsync(NpgsqlDataSource dataSource, string ledger, long headSequence,
        IReadOnlyList<ScanObserver> checks, IProgress<long>? transfersScanned, CancellationToken cancellationToken)
    {
        await using var transferConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var entryConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transfers = await TransferStream.OpenAsync(transferConnection, ledger, headSequence, cancellationToken);
        await using var entries = await EntryStream.OpenAsync(entryConnection, ledger, headSequence, cancellationToken);

        // The reads block on sockets; off the caller's thread they cannot stall a UI or a progress bar.
        return await Task.Run(() => Zip(transfers, entries, checks, transfersScanned, cancellationToken), cancellationToken);
    }

    private static ScanTotals Zip(TransferStream transfers, EntryStream entries, IReadOnlyList<ScanObserver> checks,
        IProgress<long>? transfersScanned, CancellationToken cancellationToken)
    {
        long transferCount = 0, entryCount = 0, head = 0;
        var next = entries.Next();
        while (transfers.Next() is { } row)
        {
            for (; next is not null && next.LedgerSequence < row.Sequence; next = entries.Next(), entryCount++)
            {
                VisitOrphan(checks, next);
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
            foreach (var check in checks)
            {
                check.Visit(scanned);
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
            VisitOrphan(checks, next);
        }

        transfersScanned?.Report(transferCount);
        return new ScanTotals(transferCount, entryCount, head);
    }

    private static void VisitOrphan(IReadOnlyList<ScanObserver> checks, Entry entry)
    {
        foreach (var check in checks)
        {
            check.VisitOrphan(entry);
        }
    }
}
