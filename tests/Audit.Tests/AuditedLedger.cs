using Npgsql;
using Payments.Audit.Checks;
using Payments.Audit.Checkpoints;
using Payments.Audit.Reports;
using Payments.Audit.Storage;
using Payments.Ledger.Tests.Verification;
using Payments.Postgres;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>
/// A fresh database with the audit schema, a ledger written by the real writer, the auditor role's data
/// source and a signing key in a temporary folder. Dispose it to drop the database and the key.
/// </summary>
internal sealed class AuditedLedger : IAsyncDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("audit-tests-").FullName;

    private AuditedLedger(TestDatabase database)
    {
        Database = database;
        Auditor = NpgsqlDataSource.Create(database.ConnectionString(DatabaseRoles.Auditor));
        KeyPath = Path.Combine(folder, "audit-key.pem");
        AuditKey.Generate(KeyPath);
    }

    public TestDatabase Database { get; }

    /// <summary>The auditor role: reads the ledger and the log, writes only the audit tables.</summary>
    public NpgsqlDataSource Auditor { get; }

    public string KeyPath { get; }

    public string Folder => folder;

    /// <summary>A ledger after <see cref="Workloads.RunMixedAsync"/>: opens, posts, holds, captures, voids, expiries, reversals, refusals, duplicates.</summary>
    public static async Task<AuditedLedger> WithMixedWorkloadAsync(int transfers = 60)
    {
        var ledger = await EmptyAsync();
        await Workloads.RunMixedAsync(ledger.Database, transfers);
        return ledger;
    }

    public static async Task<AuditedLedger> EmptyAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await SqlMigrator.ApplyAsync(database.Owner, AuditSchema.Migrations, CancellationToken.None);
        return new AuditedLedger(database);
    }

    /// <summary>Runs the audit as the auditor role with the signing key.</summary>
    public Task<AuditReport> AuditAsync(TimeSpan? holdGrace = null, TimeSpan? deliveryGrace = null) => AuditRunner.RunAsync(Auditor, new AuditSettings
    {
        KeyPath = KeyPath,
        Principal = "audit-tests",
        HoldGrace = holdGrace ?? AuditSettings.HoldGraceDefault,
        DeliveryGrace = deliveryGrace ?? AuditSettings.DeliveryGraceDefault,
    }, null, CancellationToken.None);

    /// <summary>Runs <paramref name="sql"/> as a superuser with every trigger off: an attacker with full database access.</summary>
    public Task TamperAsync(string sql) => Database.Superuser.ExecuteAsync($"""
        set session_replication_role = replica;
        {sql}
        """);

    public async ValueTask DisposeAsync()
    {
        await Auditor.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>Assertions on reports that say which check failed, and where.</summary>
internal static class Verdicts
{
    public static CheckResult Check(this AuditReport report, string name) => report.Checks.Single(c => c.Name == name);

    public static void AssertPassed(AuditReport report) =>
        Assert.True(report.Passed, "the audit failed: " + string.Join("; ", report.Checks.Where(c => c.Status == CheckStatus.Failed)
            .Select(c => $"{c.Name}: {string.Join(" | ", c.Findings.Take(3).Select(f => f.Where + " " + f.Problem))}")));

    /// <summary>Asserts that exactly <paramref name="names"/> failed.</summary>
    public static void AssertFailedExactly(AuditReport report, params string[] names)
    {
        Assert.False(report.Passed);
        Assert.Equal(names.Order(), report.Checks.Where(c => c.Status == CheckStatus.Failed).Select(c => c.Name).Order());
    }

    /// <summary>Asserts that check <paramref name="name"/> failed and its first finding is at <paramref name="where"/>.</summary>
    public static Finding AssertFirstFindingAt(AuditReport report, string name, string where)
    {
        var check = report.Check(name);
        Assert.Equal(CheckStatus.Failed, check.Status);
        var first = check.Findings[0];
        Assert.StartsWith(where, first.Where, StringComparison.Ordinal);
        return first;
    }
}
