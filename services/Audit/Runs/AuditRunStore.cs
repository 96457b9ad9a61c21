using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Audit.Checkpoints;
using Payments.Audit.Reports;

namespace Payments.Audit.Runs;

/// <summary>Records each run in <c>audit.runs</c>, with the checkpoint it signed, in one transaction.</summary>
internal static class AuditRunStore
{
    public static async Task RecordAsync(NpgsqlDataSource dataSource, AuditReport report, Checkpoint? signed, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("""
            insert into audit.runs (id, ledger, started_at, finished_at, principal, result, head_seq, summary)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            """, connection))
        {
            foreach (var value in new object[] { report.RunId, report.Ledger, report.StartedAt, report.FinishedAt, report.Principal,
                         report.Passed ? "PASSED" : "FAILED", report.HeadSequence })
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            command.Parameters.Add(new NpgsqlParameter { Value = Summary(report), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (signed is not null)
        {
            await CheckpointStore.InsertAsync(connection, signed, report.RunId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // The verdict per check, not the findings: the full report goes to its files, the table keeps the gist.
    private static string Summary(AuditReport report) => JsonSerializer.Serialize(new
    {
        transfers = report.TransfersScanned,
        entries = report.EntriesScanned,
        head_hash = report.HeadHash,
        checks = report.Checks.ToDictionary(c => c.Name, c => new { status = c.Status.ToString().ToUpperInvariant(), problems = c.ProblemCount }),
    });
}
