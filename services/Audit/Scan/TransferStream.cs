using Npgsql;
using Payments.Ledger.Storage;

namespace Payments.Audit.Scan;

/// <summary>A ledger's transfers up to a head sequence, in commit order, as one streamed query.</summary>
internal sealed class TransferStream(NpgsqlCommand command, NpgsqlDataReader reader) : IAsyncDisposable
{
    public static async Task<TransferStream> OpenAsync(NpgsqlConnection connection, string ledger, long headSequence, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("""
            select id, ledger, seq, debit_account_id, credit_account_id, amount_minor, currency, kind, event_id, trace_id,
                   principal, created_at, prev_hash, hash, pending_id, reversal_of, expires_at, expired
            from ledger.transfers where ledger = $1 and seq <= $2 order by seq
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = headSequence });
        return new TransferStream(command, await command.ExecuteReaderAsync(cancellationToken));
    }

    /// <summary>The next transfer, or null at the end. Synchronous: a per-row await would cost more than the row.</summary>
    public TransferRow? Next()
    {
        if (!reader.Read())
        {
            return null;
        }

        return new TransferRow(
            reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetGuid(4), reader.GetInt64(5),
            reader.GetString(6), StoredNames.KindOf(reader.GetString(7)), reader.GetGuid(8), reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.GetString(10), reader.GetFieldValue<DateTimeOffset>(11), reader.GetFieldValue<byte[]>(12), reader.GetFieldValue<byte[]>(13),
            reader.IsDBNull(14) ? null : reader.GetGuid(14), reader.IsDBNull(15) ? null : reader.GetGuid(15),
            reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16), reader.GetBoolean(17));
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
    }
}
