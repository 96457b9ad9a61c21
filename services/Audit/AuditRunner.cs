using Npgsql;
using Payments.Audit.Checkpoints;
using Payments.Audit.Checks;
using Payments.Audit.Reports;
using Payments.Audit.Runs;
using Payments.Audit.Scan;

namespace Payments.Audit;

/// <summary>
/// One audit run: reads the checkpoints, traces intents and outcomes on the server while one ordered scan
/// feeds every other check, records the run, and signs a new checkpoint when everything passed. The data
/// source needs no more than the auditor role: SELECT on the ledger and log, INSERT on the audit tables.
/// </summary>
public static class AuditRunner
{
    /// <summary>Audits <see cref="AuditSettings.Ledger"/> and records the run.</summary>
    public static async Task<AuditReport> RunAsync(
        NpgsqlDataSource dataSource, AuditSettings settings, IProgress<AuditProgress>? progress, CancellationToken cancellationToken)
    {
        var startedAt = settings.Time.GetUtcNow();
        using var key = settings.KeyPath is null ? null : AuditKey.Load(settings.KeyPath);
        // Checkpoints and the anchor before the head: another run (a manual one beside the CronJob) may sign
        // in between, and a checkpoint past the head this run scans to would read as transfers removed.
        var signedCheckpoints = await CheckpointStore.LatestAsync(dataSource, settings.Ledger, cancellationToken);
        var anchor = ReadAnchor(settings.AnchorPath);
        var (head, databaseUser) = await HeadAsync(dataSource, settings.Ledger, cancellationToken);
        var accounts = await AccountDirectory.ReadAsync(dataSource, settings.Ledger, cancellationToken);
        var checkpoints = new CheckpointsCheck(signedCheckpoints, key, settings.Ledger, anchor);

        // The log checks run inside PostgreSQL, so they overlap with the scan, which runs in this process.
        var deliveredBefore = startedAt - settings.DeliveryGrace;
        var intentOutcomes = IntentOutcomeChecks.RunAsync(dataSource, settings.Ledger, deliveredBefore, cancellationToken);
        var paidPayouts = PaidPayoutsPostedCheck.RunAsync(dataSource, settings.Ledger, deliveredBefore, cancellationToken);
        var reversals = ReversalsCheck.RunAsync(dataSource, settings.Ledger, head, cancellationToken);
        var accountsAsOpened = AccountsAsOpenedCheck.RunAsync(dataSource, settings.Ledger, cancellationToken);
        var strayRows = StrayRowsCheck.RunAsync(dataSource, settings.Ledger, head, cancellationToken);

        var chain = new HashChainCheck();
        var timeline = new CurrencyTimeline();
        ScanCheck[] scanChecks =
        [
            new BalancedEntriesCheck(), new CurrencySumsCheck(), new RunningBalancesCheck(accounts), new BalanceFlagsCheck(accounts),
            chain, checkpoints, new HoldTimeoutsCheck(startedAt, settings.HoldGrace),
        ];
        progress?.Report(new AuditProgress("scanning", 0, head));
        var scanned = progress is null ? null : new ScanProgress(progress, head);
        var totals = await LedgerScan.RunAsync(dataSource, settings.Ledger, head, [.. scanChecks, timeline], scanned, cancellationToken);

        progress?.Report(new AuditProgress("tracing intents", totals.Transfers, head));
        var (intentsHaveOutcomes, outcomesHaveIntents) = await intentOutcomes;
        List<CheckResult> results = [.. scanChecks.Select(check => check.Finish(totals)), intentsHaveOutcomes, outcomesHaveIntents, await paidPayouts,
            await reversals, await accountsAsOpened, await strayRows];
        var report = new AuditReport(Guid.CreateVersion7(), settings.Ledger, startedAt, settings.Time.GetUtcNow(), settings.Principal,
            databaseUser, results.All(r => r.Status != CheckStatus.Failed), totals.Transfers, totals.Entries, chain.Head.Sequence,
            Convert.ToHexStringLower(chain.Head.Hash), results, timeline.Summaries())
        {
            AnchoredAt = Summarize(checkpoints.LatestVerified),
        };

        var signed = report.Passed && key is { CanSign: true } && totals.Transfers > 0
            ? Sign(key, settings.Ledger, chain.Head, settings.Time.GetUtcNow())
            : null;
        report = report with { Signed = Summarize(signed) };
        await AuditRunStore.RecordAsync(dataSource, report, signed, cancellationToken);
        // Only after the database has it: a crash in between leaves the file one checkpoint behind, which still verifies.
        if (signed is not null && settings.AnchorPath is { } anchorPath)
        {
            await AnchorFile.WriteAsync(anchorPath, signed, cancellationToken);
        }

        progress?.Report(new AuditProgress("done", totals.Transfers, head));
        return report;
    }

    private static CheckpointsCheck.AnchorRead? ReadAnchor(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return new CheckpointsCheck.AnchorRead(AnchorFile.Read(path), null);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new CheckpointsCheck.AnchorRead(null, exception.Message);
        }
    }

    // The scan stops at the head read here, so the writer may keep committing while the audit runs.
    private static async Task<(long Head, string DatabaseUser)> HeadAsync(NpgsqlDataSource dataSource, string ledger, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select coalesce(max(seq), 0), current_user::text from ledger.transfers where ledger = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private static Checkpoint Sign(AuditKey key, string ledger, Ledger.Domain.ChainHead head, DateTimeOffset now) =>
        new(Guid.CreateVersion7(), ledger, head.Sequence, head.Hash, key.Id, key.Sign(CheckpointPayload.Of(ledger, head.Sequence, head.Hash)), now);

    private static CheckpointSummary? Summarize(Checkpoint? checkpoint) => checkpoint is null
        ? null
        : new CheckpointSummary(checkpoint.Id, checkpoint.Sequence, Convert.ToHexStringLower(checkpoint.HeadHash), checkpoint.KeyId, checkpoint.SignedAt);

    // Reports synchronously, on the scanning thread: Progress<T> would post to the thread pool, where a late
    // "scanning" report could overtake the stages that follow it.
    private sealed class ScanProgress(IProgress<AuditProgress> progress, long head) : IProgress<long>
    {
        public void Report(long value) => progress.Report(new AuditProgress("scanning", value, head));
    }
}
