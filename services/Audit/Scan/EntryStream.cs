using Npgsql;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;

namespace Payments.Audit.Scan;

/// <summary>A ledger's entries up to a head sequence, in ledger-sequence order, as one binary COPY.</summary>
internal sealed class EntryStream(Stream copy, string ledger) : IAsyncDisposable
{
    // The ledger column is not read: the query selects on it, so every row holds exactly the ledger asked for.
    // Ordered by the (ledger, ledger_seq) index alone; the two entries of a sequence may come in either order.
    private const string Query = """
        select account_id, account_seq, transfer_id, ledger_seq, direction, amount_minor, currency,
               debits_posted, credits_posted, debits_pending, credits_pending, created_at
        from ledger.entries where ledger = current_setting('payments_audit.ledger') and ledger_seq <= current_setting('payments_audit.head')::bigint
        order by ledger_seq
        """;

    private readonly CopyRowReader rows = new(copy, fieldCount: 12);
    private readonly RecentStrings directions = new();
    private readonly RecentStrings currencies = new();

    public static async Task<EntryStream> OpenAsync(NpgsqlConnection connection, string ledger, long headSequence, CancellationToken cancellationToken) =>
        new(await ScanCopy.OpenAsync(connection, Query, ledger, headSequence, cancellationToken), ledger);

    /// <summary>The next entry, or null at the end.</summary>
    public Entry? Next() => !rows.NextRow()
        ? null
        : new Entry(
            AccountId: rows.Guid(),
            AccountSequence: rows.Int64(),
            TransferId: rows.Guid(),
            Ledger: ledger,
            LedgerSequence: rows.Int64(),
            Direction: StoredNames.DirectionOf(rows.Text(directions)),
            AmountMinor: rows.Int64(),
            Currency: rows.Text(currencies),
            BalancesAfter: new Balances(rows.Int64(), rows.Int64(), rows.Int64(), rows.Int64()),
            CreatedAt: rows.Timestamp());

    public ValueTask DisposeAsync() => copy.DisposeAsync();
}
