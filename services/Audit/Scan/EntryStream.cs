using Npgsql;
using NpgsqlTypes;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;

namespace Payments.Audit.Scan;

/// <summary>A ledger's entries up to a head sequence, in ledger-sequence order, as one binary COPY.</summary>
internal sealed class EntryStream(NpgsqlBinaryExporter exporter) : IAsyncDisposable
{
    // Ordered by the (ledger, ledger_seq) index alone; the two entries of a sequence may come in either order.
    public static async Task<EntryStream> OpenAsync(NpgsqlConnection connection, string ledger, long headSequence, CancellationToken cancellationToken) =>
        new(await connection.BeginBinaryExportAsync($"""
            copy (select account_id, account_seq, transfer_id, ledger, ledger_seq, direction, amount_minor, currency,
                         debits_posted, credits_posted, debits_pending, credits_pending, created_at
                  from ledger.entries where ledger = {SqlLiteral.Quote(ledger)} and ledger_seq <= {headSequence} order by ledger_seq)
            to stdout (format binary)
            """, cancellationToken));

    /// <summary>The next entry, or null at the end.</summary>
    public Entry? Next()
    {
        if (exporter.StartRow() < 0)
        {
            return null;
        }

        return new Entry(
            AccountId: exporter.Read<Guid>(NpgsqlDbType.Uuid),
            AccountSequence: exporter.Read<long>(NpgsqlDbType.Bigint),
            TransferId: exporter.Read<Guid>(NpgsqlDbType.Uuid),
            Ledger: exporter.Read<string>(NpgsqlDbType.Text),
            LedgerSequence: exporter.Read<long>(NpgsqlDbType.Bigint),
            Direction: StoredNames.DirectionOf(exporter.Read<string>(NpgsqlDbType.Char)),
            AmountMinor: exporter.Read<long>(NpgsqlDbType.Bigint),
            Currency: exporter.Read<string>(NpgsqlDbType.Char),
            BalancesAfter: new Balances(exporter.Read<long>(NpgsqlDbType.Bigint), exporter.Read<long>(NpgsqlDbType.Bigint),
                exporter.Read<long>(NpgsqlDbType.Bigint), exporter.Read<long>(NpgsqlDbType.Bigint)),
            CreatedAt: exporter.Read<DateTimeOffset>(NpgsqlDbType.TimestampTz));
    }

    public ValueTask DisposeAsync() => exporter.DisposeAsync();
}
