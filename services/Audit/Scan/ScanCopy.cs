using Npgsql;

namespace Payments.Audit.Scan;

/// <summary>
/// Starts one of the scan's binary COPY streams. COPY takes no parameters, so the ledger and head go in as
/// session settings the query reads back: no value is ever spliced into SQL text.
/// </summary>
internal static class ScanCopy
{
    public static async Task<Stream> OpenAsync(
        NpgsqlConnection connection, string query, string ledger, long headSequence, CancellationToken cancellationToken)
    {
        await using (var settings = new NpgsqlCommand(
            "select set_config('payments_audit.ledger', $1, false), set_config('payments_audit.head', $2, false)", connection))
        {
            settings.Parameters.Add(new NpgsqlParameter { Value = ledger });
            settings.Parameters.Add(new NpgsqlParameter { Value = headSequence.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        return await connection.BeginRawBinaryCopyAsync($"copy ({query}) to stdout (format binary)", cancellationToken);
    }
}
