using Npgsql;
using Payments.Contracts;

namespace Payments.Ledger.Replay;

/// <summary>
/// Compares every table the writer fills, row by row and column by column, between the live ledger and
/// its rebuild, and the outcomes it published. The hash chain covers transfers and their entries only:
/// a rejection turned into another code, an account opened with other flags, a status change or a payout
/// recorded differently would all pass a comparison of chain heads. Both sides stream in the same key
/// order, so memory stays flat whatever the size of the ledger, and the first difference of each table
/// is named.
/// </summary>
internal static class LedgerTableComparison
{
    private const int RowTextMax = 300;

    // Text forms of times and bytes depend on session settings, which differ between servers and roles.
    private const string SessionSettings = "set timezone = 'UTC'; set datestyle = 'ISO, YMD'; set bytea_output = 'hex'; set intervalstyle = 'iso_8601'";

    /// <summary>Each table the writer writes, with a key that orders its rows the same way on both sides.</summary>
    private static readonly (string Name, string Select)[] Tables =
    [
        Rows("ledger.accounts", "id"),
        Rows("ledger.account_events", "account_id, status_seq"),
        Rows("ledger.transfers", "seq"),
        Rows("ledger.entries", "ledger_seq, direction"),
        Rows("ledger.rejections", "intent_id"),
        Rows("ledger.payouts", "transfer_id"),
        Rows("ledger.clock_ticks", "event_id"),
        // The outbox the writer fills with its outcomes, in order: what Settlement pays and callers are
        // told. Only what makes an outcome which: its payload may gain fields as the contract grows, and
        // the rows it is made from are compared above; the append time and trace are the process's own.
        ("the ledger topic", $"""
            select row(id, type, source, subject, time)::text from eventlog.events
            where topic = '{EventTopics.Ledger}' and partition_key = $1 order by seq
            """),
    ];

    /// <summary>
    /// The first difference of each table between <paramref name="live"/> (read in its transaction's
    /// snapshot) and <paramref name="rebuilt"/>; empty when every table holds the same rows.
    /// </summary>
    public static async Task<List<string>> DifferencesAsync(
        NpgsqlConnection live, NpgsqlConnection rebuilt, string ledger, CancellationToken cancellationToken)
    {
        foreach (var connection in new[] { live, rebuilt })
        {
            await using var settings = new NpgsqlCommand(SessionSettings, connection);
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        var differences = new List<string>();
        foreach (var (name, select) in Tables)
        {
            if (await FirstDifferenceAsync(live, rebuilt, ledger, name, select, cancellationToken) is { } difference)
            {
                differences.Add(difference);
            }
        }

        return differences;
    }

    // The table name and key come from the list above, never from input.
    private static (string, string) Rows(string table, string orderBy) => (table, $"select t::text from {table} t where ledger = $1 order by {orderBy}");

    private static async Task<string?> FirstDifferenceAsync(
        NpgsqlConnection live, NpgsqlConnection rebuilt, string ledger, string table, string sql, CancellationToken cancellationToken)
    {
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
