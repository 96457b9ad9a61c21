using Npgsql;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;

namespace Payments.Audit.Scan;

/// <summary>A ledger's entries up to a head sequence, in ledger-sequence order, as one streamed query.</summary>
internal sealed class EntryStream(NpgsqlCommand command, NpgsqlDataReader reader, string ledger) : IAsyncDisposable
{
    // The ledger column is not read: the query selects on it, so every row holds exactly the ledger asked for.
    // Ordered by the (ledger, ledger_seq) index alone; the two entries of a sequence may come in either order.
    public static async Task<EntryStream> OpenAsync(NpgsqlConnection connection, string ledger, long headSequence, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("""
            select account_id, account_seq, transfer_id, ledger_seq, direction, amount_minor, currency,
                   debits_posted, credits_posted, debits_pending, credits_pending, created_at
            from ledger.entries where ledger = $1 and ledger_seq <= $2 order by ledger_seq
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = headSequence });
        return new EntryStream(command, await command.ExecuteReaderAsync(cancellationToken), ledger);
    }

    /// <summary>The next entry, or null at the end.</summary>
    public Entry? Next()
    {
        if (!reader.Read())
        {
            return null;
        }

        return new Entry(
            AccountId: reader.GetGuid(0),
            AccountSequence: reader.GetInt64(1),
            TransferId: reader.GetGuid(2),
            Ledger: ledger,
            LedgerSequence: reader.GetInt64(3),
            Direction: StoredNames.DirectionOf(reader.GetString(4)),
            AmountMinor: reader.GetInt64(5),
            Currency: reader.GetString(6),
            BalancesAfter: new Balances(reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10)),
            CreatedAt: reader.GetFieldValue<DateTimeOffset>(11));
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
    }
}
