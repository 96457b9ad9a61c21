using Npgsql;
using NpgsqlTypes;
using Payments.Ledger.Storage;

namespace Payments.Audit.Scan;

/// <summary>A ledger's transfers up to a head sequence, in commit order, as one binary COPY.</summary>
internal sealed class TransferStream(NpgsqlBinaryExporter exporter) : IAsyncDisposable
{
    public static async Task<TransferStream> OpenAsync(NpgsqlConnection connection, string ledger, long headSequence, CancellationToken cancellationToken) =>
        new(await connection.BeginBinaryExportAsync($"""
            copy (select id, ledger, seq, debit_account_id, credit_account_id, amount_minor, currency, kind, event_id, trace_id,
                         principal, created_at, prev_hash, hash, pending_id, reversal_of, expires_at, expired
                  from ledger.transfers where ledger = {SqlLiteral.Quote(ledger)} and seq <= {headSequence} order by seq)
            to stdout (format binary)
            """, cancellationToken));

    /// <summary>The next transfer, or null at the end. Synchronous: per-column awaits would cost more than the reads.</summary>
    public TransferRow? Next()
    {
        if (exporter.StartRow() < 0)
        {
            return null;
        }

        return new TransferRow(
            exporter.Read<Guid>(NpgsqlDbType.Uuid), exporter.Read<string>(NpgsqlDbType.Text), exporter.Read<long>(NpgsqlDbType.Bigint),
            exporter.Read<Guid>(NpgsqlDbType.Uuid), exporter.Read<Guid>(NpgsqlDbType.Uuid), exporter.Read<long>(NpgsqlDbType.Bigint),
            exporter.Read<string>(NpgsqlDbType.Char), StoredNames.KindOf(exporter.Read<string>(NpgsqlDbType.Text)),
            exporter.Read<Guid>(NpgsqlDbType.Uuid), NullableString(), exporter.Read<string>(NpgsqlDbType.Text),
            exporter.Read<DateTimeOffset>(NpgsqlDbType.TimestampTz), exporter.Read<byte[]>(NpgsqlDbType.Bytea),
            exporter.Read<byte[]>(NpgsqlDbType.Bytea), NullableGuid(), NullableGuid(), NullableTime(),
            exporter.Read<bool>(NpgsqlDbType.Boolean));
    }

    public ValueTask DisposeAsync() => exporter.DisposeAsync();

    private string? NullableString() => exporter.IsNull ? SkipNull<string>() : exporter.Read<string>(NpgsqlDbType.Text);

    private Guid? NullableGuid() => exporter.IsNull ? SkipNull<Guid?>() : exporter.Read<Guid>(NpgsqlDbType.Uuid);

    private DateTimeOffset? NullableTime() =>
        exporter.IsNull ? SkipNull<DateTimeOffset?>() : exporter.Read<DateTimeOffset>(NpgsqlDbType.TimestampTz);

    private T? SkipNull<T>()
    {
        exporter.Skip();
        return default;
    }
}
