using Npgsql;
using Payments.Ledger.Storage;

namespace Payments.Audit.Scan;

/// <summary>A ledger's transfers up to a head sequence, in commit order, as one streamed query.</summary>
internal sealed class TransferStream(NpgsqlCommand command, NpgsqlDataReader reader, string ledger) : IAsyncDisposable
{
    // The ledger column is not read: the query selects on it, so every row holds exactly the ledger asked for.
    public static async Task<TransferStream> OpenAsync(NpgsqlConnection connection, string ledger, long headSequence, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("""
            select id, seq, debit_account_id, credit_account_id, amount_minor, currency, kind, event_id, trace_id,
                   principal, created_at, prev_hash, hash, pending_id, reversal_of, expires_at, expired
            from ledger.transfers where ledger = $1 and seq <= $2 order by seq
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = headSequence });
        return new TransferStream(command, await command.ExecuteReaderAsync(cancellationToken), ledger);
    }

    /// <summary>The next transfer, or null at the end. Synchronous: a per-row await would cost more than the row.</summary>
    public TransferRow? Next()
    {
        if (!reader.Read())
        {
            return null;
        }

        return new TransferRow(
            reader.GetGuid(0), ledger, reader.GetInt64(1), reader.GetGuid(2), reader.GetGuid(3), reader.GetInt64(4),
            reader.GetString(5), StoredNames.KindOf(reader.GetString(6)), reader.GetGuid(7), reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<byte[]>(11), reader.GetFieldValue<byte[]>(12),
            reader.IsDBNull(13) ? null : reader.GetGuid(13), reader.IsDBNull(14) ? null : reader.GetGuid(14),
            reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15), reader.GetBoolean(16));
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
    }
}
