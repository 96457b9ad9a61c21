using Grpc.Core;
using Npgsql;
using Payments.Audit;
using Payments.Audit.Reports;
using Payments.Audit.Storage;
using Payments.Contracts.LedgerV1;
using Payments.EndToEnd.Tests.Security;
using Payments.Postgres;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests;

/// <summary>
/// The audit job (run here in-process, as the auditor role, like its CronJob) records its runs; the Ledger
/// lists them to a caller with <c>audit:read</c>, newest first and page by page, and to no one else.
/// Every test audits three times more, so each looks for its own runs among the newest.
/// </summary>
public sealed class AuditRunListingTests(Platform platform) : IClassFixture<Platform>, IAsyncLifetime
{
    private readonly List<AuditReport> audits = [];

    public async Task InitializeAsync()
    {
        await SqlMigrator.ApplyAsync(platform.Database.Owner, AuditSchema.Migrations, CancellationToken.None);
        var (from, to) = (await platform.OpenAccountAsync("audited-from"), await platform.OpenAccountAsync("audited-to"));
        await using var auditor = NpgsqlDataSource.Create(platform.Database.ConnectionString(DatabaseRoles.Auditor));
        for (var run = 0; run < 3; run++)
        {
            await platform.PayAsync(from, to, 10 + run);
            audits.Add(await AuditRunner.RunAsync(auditor, new AuditSettings { Principal = "audit-job" }, null, CancellationToken.None));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_auditor_lists_the_recorded_runs_newest_first_page_by_page()
    {
        var auditor = platform.LedgerAs("auditor", Scopes.AuditRead);

        var first = await auditor.ListAuditRunsAsync(new ListAuditRunsRequest { PageSize = 2 }, deadline: platform.Deadline);
        var second = await auditor.ListAuditRunsAsync(new ListAuditRunsRequest { PageSize = 2, PageToken = first.NextPageToken }, deadline: platform.Deadline);

        Assert.Equal(2, first.Runs.Count);
        Assert.NotEmpty(first.NextPageToken);
        var listed = first.Runs.Concat(second.Runs).ToList();
        Assert.Equal(listed.OrderByDescending(run => run.StartTime).Select(run => run.Id), listed.Select(run => run.Id));
        Assert.Equal(audits.Select(a => a.RunId.ToString()).Reverse(), listed.Take(audits.Count).Select(run => run.Id));

        var latest = audits[^1];
        var run = listed[0];
        Assert.Equal((AuditResult.Passed, "audit-job", latest.HeadSequence), (run.Result, run.Principal, run.HeadLedgerSequence));
        Assert.Equal(latest.HeadHash, Convert.ToHexStringLower(run.HeadHash.ToByteArray()));
        Assert.Equal((latest.TransfersScanned, latest.EntriesScanned), (run.TransfersScanned, run.EntriesScanned));
        Assert.Equal(latest.Checks.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => (c.Name, c.Status.ToString(), c.ProblemCount)),
            run.Checks.Select(c => (c.Name, c.Status.ToString(), c.ProblemCount)));
    }

    [Fact]
    public async Task Only_the_audit_read_scope_lists_runs_not_even_an_accounts_administrator()
    {
        foreach (var scope in Scopes.All.Where(scope => scope != Scopes.AuditRead))
        {
            await Refusals.AssertAsync(StatusCode.PermissionDenied, "SCOPE_MISSING", () => platform.LedgerAs("reader", scope)
                .ListAuditRunsAsync(new ListAuditRunsRequest(), deadline: platform.Deadline).ResponseAsync, scope);
        }

        var runs = await platform.LedgerAs("reader", Scopes.AuditRead).ListAuditRunsAsync(new ListAuditRunsRequest(), deadline: platform.Deadline);
        Assert.Subset(runs.Runs.Select(run => run.Id).ToHashSet(), audits.Select(a => a.RunId.ToString()).ToHashSet());
    }

    [Fact]
    public async Task Another_ledger_and_a_token_of_another_query_are_invalid_arguments()
    {
        var auditor = platform.LedgerAs("auditor", Scopes.AuditRead);
        await Refusals.AssertAsync(StatusCode.InvalidArgument, "LEDGER_UNKNOWN", () => auditor.ListAuditRunsAsync(
            new ListAuditRunsRequest { Ledger = "another" }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.InvalidArgument, "PAGE_TOKEN_INVALID", () => auditor.ListAuditRunsAsync(
            new ListAuditRunsRequest { PageToken = Paging.Token("audit-runs:main", 1) }, deadline: platform.Deadline).ResponseAsync);
    }
}
