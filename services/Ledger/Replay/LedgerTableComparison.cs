using Npgsql;

namespace Payments.Ledger.Replay;

/// <summary>
/// Compares every table the writer fills, row by row and column by column, between the live ledger and
/// its rebuild. The hash chain covers transfers and their entries only: a rejection turned into another
/// code, an account opened with other flags, a status change or a payout recorded differently would
/// all pass a comparison of chain heads. Both sides stream in the same key order, so memory stays flat
/// whatever the size of the ledger, and the first difference of each table is named.
/// </summary>
internal static class LedgerTableComparison
{
    private const int RowTextMax = 300;

    /// <summary>Each table the writer writes, with a key that orders its rows the same way on both sides.</summary>
    private static readonly (string Table, string OrderBy)[] Tables =
    [
        ("ledger.accounts", "id"),
        ("ledger.account_events", "account_id, status_seq"),
        ("ledger.transfers", "seq"),
        ("ledger.entries", "ledger_seq, direction"),
        ("ledger.rejections", "intent_id"),
        ("ledger.payouts", "transfer_id"),
        ("ledger.clock_ticks", "event_id"),
    ];

    /// <summary>
    /// The first difference of each table between <paramref name="live"/> (read in its transaction's
    /// snapshot) and <paramref name="rebuilt"/>; empty when every table holds the same rows.
    /// </summary>
    public static async Task<List<string>> DifferencesAsync(
        NpgsqlConnection live, NpgsqlConnection rebuilt, string ledger, CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        foreach (var (table, orderBy) in Tables)
        {
            if (await FirstDifferenceAsync(live, rebuilt, ledger, table, orderBy, cancellationToken) is { } difference)
            {
                differences.Add(difference);
            }
        }

        return differences;
    }

    private static async Task<string?> FirstDifferenceAsync(
        NpgsqlConnection live, NpgsqlConnection rebuilt, string ledger, string table, string orderBy, CancellationToken cancellationToken)
    {
        // The table name and key come from the list above, never from input.
        var sql = $"select t::text from {table} t where ledger = $1 order by {orderBy}";
        await using var liveCommand = Command(live, sql, ledger);
        await using var rebuiltCommand = Command(rebuilt, sql, ledger);
        await using var liveRows = await liveCommand.ExecuteReaderAsync(cancellationToken);
        await using var rebuiltRows = await rebuiltCommand.ExecuteReaderAsync(cancellationToken);
        for (long row = 1; ; row++)
        {
            var liveRow = await liveRows.ReadAsync(cancellationToken) ? liveRows.GetString(0) : null;
            var rebuiltRow = await rebuiltRows.ReadAsync(cancellationToken) ? rebuiltRows.GetString(0) : null;
            if (liveRow == rebuiltRow)
            {
                if (liveRow is null)
                {
                    return null;
                }

                continue;
            }

            return $"{table} row {row}: live {Shown(liveRow)}, rebuilt {Shown(rebuiltRow)}";
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string ledger)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        return command;
    }

    private static string Shown(string? row) =>
        row is null ? "has no row"
        : row.Length <= RowTextMax ? row
        : row[..RowTextMax] + "…";
}
