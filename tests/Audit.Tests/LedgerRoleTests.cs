using Npgsql;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>The Ledger service lists recorded runs (ListAuditRuns): its role reads audit.runs and nothing else of the audit.</summary>
public sealed class LedgerRoleTests
{
    [Fact]
    public async Task The_ledger_role_reads_the_runs_and_cannot_change_them_or_read_the_checkpoints()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync(transfers: 5);
        var report = await ledger.AuditAsync();
        var role = ledger.Database.Ledger;

        Assert.Equal(report.RunId, await role.ScalarAsync<Guid>("select id from audit.runs"));
        foreach (var sql in new[]
                 {
                     "insert into audit.runs (id, ledger, started_at, finished_at, principal, result, head_seq, summary) values (gen_random_uuid(), 'main', now(), now(), 'p', 'PASSED', 0, '{}')",
                     "update audit.runs set result = 'FAILED'",
                     "select count(*) from audit.checkpoints",
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => role.ExecuteAsync(sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }
}
