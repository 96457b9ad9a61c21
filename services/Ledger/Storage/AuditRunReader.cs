using System.Text.Json;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;
using Payments.Contracts.LedgerV1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Payments.Ledger.Storage;

/// <summary>
/// The audit job's recorded runs (<c>audit.runs</c>, owned and written by services/Audit), read with the
/// SELECT its migration audit_002 grants this service. Rows become wire messages directly: the Ledger
/// has no use for them other than answering ListAuditRuns.
/// </summary>
internal sealed class AuditRunReader(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Up to <paramref name="limit"/> runs over <paramref name="ledger"/>, the most recently started first,
    /// starting after run <paramref name="after"/> (runs are never deleted, so the run a page ended at is
    /// always there to resume from).
    /// </summary>
    public async Task<List<AuditRun>> ListAsync(string ledger, Guid? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select r.id, r.ledger, r.started_at, r.finished_at, r.principal, r.result, r.head_seq, r.summary::text
            from audit.runs r
            where r.ledger = $1
              and ($2::uuid is null or (r.started_at, r.id) < (select p.started_at, p.id from audit.runs p where p.id = $2))
            order by r.started_at desc, r.id desc
            limit $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = after.HasValue ? after.Value : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var runs = new List<AuditRun>(limit);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(Read(reader));
            }
        }
        catch (PostgresException missing) when (missing.SqlState is PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedTable)
        {
            // The audit job's own `migrate` creates its schema; until it has run, no audit has been recorded.
            return [];
        }

        return runs;
    }

    private static AuditRun Read(NpgsqlDataReader reader)
    {
        var run = new AuditRun
        {
            Id = reader.GetGuid(0).ToString(),
            Ledger = reader.GetString(1),
            StartTime = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(2)),
            FinishTime = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(3)),
            Principal = reader.GetString(4),
            Result = reader.GetString(5) == "PASSED" ? AuditResult.Passed : AuditResult.Failed,
            HeadLedgerSequence = reader.GetInt64(6),
        };
        AddSummary(run, reader.GetString(7));
        return run;
    }

    // The summary's shape is AuditRunStore's: {transfers, entries, head_hash (hex), checks: {name: {status, problems}}}.
    private static void AddSummary(AuditRun run, string summaryJson)
    {
        using var summary = JsonDocument.Parse(summaryJson);
        var root = summary.RootElement;
        run.TransfersScanned = root.GetProperty("transfers").GetInt64();
        run.EntriesScanned = root.GetProperty("entries").GetInt64();
        run.HeadHash = ByteString.CopyFrom(Convert.FromHexString(root.GetProperty("head_hash").GetString() ?? ""));
        // jsonb keeps object keys in an order of its own, so the order is by name.
        foreach (var check in root.GetProperty("checks").EnumerateObject().OrderBy(check => check.Name, StringComparer.Ordinal))
        {
            run.Checks.Add(new AuditCheck
            {
                Name = check.Name,
                Status = Enum.TryParse<AuditCheckStatus>(check.Value.GetProperty("status").GetString(), ignoreCase: true, out var status)
                    ? status : AuditCheckStatus.Unspecified,
                ProblemCount = check.Value.GetProperty("problems").GetInt64(),
            });
        }
    }
}
