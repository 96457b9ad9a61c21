using Npgsql;
using Payments.Ledger.Storage;

namespace Payments.Audit.Scan;

/// <summary>A ledger's transfers up to a head sequence, in commit order, as one binary COPY.</summary>
internal sealed class TransferStream(Stream copy, string ledger) : IAsyncDisposable
{
    // The ledger column is not read: the query selects on it, so every row holds exactly the ledger asked for.
    private const string Query = """
        select id, seq, debit_account_id, credit_account_id, amount_minor, currency, kind, event_id, trace_id,
               principal, created_at, prev_hash, hash, pending_id, reversal_of, expires_at, expired
        from ledger.transfers where ledger = current_setting('payments_audit.ledger') and seq <= current_setting('payments_audit.head')::bigint
        order by seq
        """;

    private readonly CopyRowReader rows = new(copy, fieldCount: 17);
    private readonly RecentStrings currencies = new();
    private readonly RecentStrings kinds = new();
    private readonly RecentStrings principals = new();

    public static async Task<TransferStream> OpenAsync(NpgsqlConnection connection, string ledger, long headSequence, CancellationToken cancellationToken) =>
        new(await ScanCopy.OpenAsync(connection, Query, ledger, headSequence, cancellationToken), ledger);

    /// <summary>The next transfer, or null at the end. Synchronous: a per-row await would cost more than the row.</summary>
    public TransferRow? Next() => !rows.NextRow()
        ? null
        : new TransferRow(
            Id: rows.Guid(),
            Ledger: ledger,
            Sequence: rows.Int64(),
            DebitAccountId: rows.Guid(),
            CreditAccountId: rows.Guid(),
            AmountMinor: rows.Int64(),
            Currency: rows.Text(currencies),
            Kind: StoredNames.KindOf(rows.Text(kinds)),
            EventId: rows.Guid(),
            TraceId: rows.NullableText(),
            Principal: rows.Text(principals),
            CreatedAt: rows.Timestamp(),
            PrevHash: rows.Bytes(),
            Hash: rows.Bytes(),
            PendingId: rows.NullableGuid(),
            ReversalOfId: rows.NullableGuid(),
            ExpiresAt: rows.NullableTimestamp(),
            Expired: rows.Boolean());

    public ValueTask DisposeAsync() => copy.DisposeAsync();
}
