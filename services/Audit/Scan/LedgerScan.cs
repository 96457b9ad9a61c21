using Npgsql;
using Payments.Ledger.Domain;

namespace Payments.Audit.Scan;

/// <summary>
/// One ordered pass over a ledger: transfers and entries each stream as one query in sequence order, on two
/// connections at once, and are zipped together here. No per-row queries and no join on the server, so a
/// deleted or misplaced entry shows up as missing or stray instead of silently dropping its transfer.
/// </summary>
/// <remarks>
/// One thread pulls both streams, decodes and runs the checks; the two PostgreSQL backends produce the rows
/// in parallel with it, so the socket buffers are the read-ahead. On two cores, reader threads of their own
/// (the design until 2026-12) cost more than they overlapped: this process spent about a fifth more CPU per
/// entry in hand-overs and wake-ups, and the runs were slower (docs/performance.md).
/// </remarks>
internal static class LedgerScan
{
    private const int ProgressEvery = 8192;

    /// <summary>Feeds every transfer up to <paramref name="headSequence"/> to <paramref name="observers"/>.</summary>
    public static async Task<ScanTotals> RunAsync(NpgsqlDataSource dataSource, string ledger, long headSequence,
        IReadOnlyList<ScanObserver> observers, IProgress<long>? transfersScanned, CancellationToken cancellationToken)
    {
        await using var transferConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var entryConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transfers = await TransferStream.OpenAsync(transferConnection, ledger, headSequence, cancellationToken);
        await using var entries = await EntryStream.OpenAsync(entryConnection, ledger, headSequence, cancellationToken);

        // The streams read synchronously (an await per row would cost more than the row), so off the caller's thread.
        return await Task.Run(() => Zip(transfers, entries, observers, transfersScanned, cancellationToken), CancellationToken.None);
    }

    private static ScanTotals Zip(TransferStream transfers, EntryStream entries, IReadOnlyList<ScanObserver> observers,
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
