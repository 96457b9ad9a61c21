using System.CommandLine;
using System.Globalization;
using Payments.Cli.Output;
using Payments.Contracts.LedgerV1;

namespace Payments.Cli.Commands;

/// <summary>
/// <c>paymentsctl audit runs</c>: the audit job's recorded runs, newest first, as the Ledger service lists
/// them (ListAuditRuns, scope audit:read). Unlike <c>paymentsctl audit</c>, it needs no database access.
/// </summary>
internal static class AuditRunsCommand
{
    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "Most runs to show.", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "List recorded audit runs, newest first (needs a token with audit:read).") { limit };
        command.SetAction(async (parse, ct) =>
        {
            var ledger = Connection.Ledger(parse);
            var runs = new List<AuditRun>();
            var request = new ListAuditRunsRequest { PageSize = Math.Clamp(parse.GetValue(limit), 1, 1000) };
            do
            {
                var page = await ledger.ListAuditRunsAsync(request, deadline: Connection.Deadline(parse), cancellationToken: ct);
                runs.AddRange(page.Runs);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0 && runs.Count < parse.GetValue(limit));

            Tables.Write(Console.Out, ["STARTED (UTC)", "RESULT", "HEAD SEQ", "TRANSFERS", "FAILED CHECKS", "BY", "RUN"],
                runs.Take(parse.GetValue(limit)).Select(Row).ToList());
        });
        return command;
    }

    private static string[] Row(AuditRun run) =>
    [
        run.StartTime.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        run.Result == AuditResult.Passed ? "PASSED" : "FAILED",
        run.HeadLedgerSequence.ToString(CultureInfo.InvariantCulture),
        run.TransfersScanned.ToString(CultureInfo.InvariantCulture),
        string.Join(",", run.Checks.Where(check => check.Status == AuditCheckStatus.Failed).Select(check => check.Name)) is { Length: > 0 } failed ? failed : "none",
        run.Principal,
        run.Id,
    ];
}
