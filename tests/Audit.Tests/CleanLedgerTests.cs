using Payments.Audit.Checks;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>A ledger written only by the real writer passes every check, and a passing run leaves a signed, verifiable record.</summary>
public sealed class CleanLedgerTests
{
    [Fact]
    public async Task A_mixed_workload_passes_every_check_and_is_signed()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();

        var report = await ledger.AuditAsync();

        Verdicts.AssertPassed(report);
        Assert.All(report.Checks, check => Assert.Equal(CheckStatus.Passed, check.Status));
        Assert.Equal(13, report.Checks.Count);
        var head = await ledger.Database.Ledger.ScalarAsync<long>("select max(seq) from ledger.transfers");
        Assert.Equal(head, report.HeadSequence);
        Assert.Equal(head, report.TransfersScanned);
        Assert.Equal(2 * head, report.EntriesScanned);
        Assert.Equal(head, report.Signed?.Sequence);
        Assert.Null(report.AnchoredAt);
    }

    [Fact]
    public async Task The_next_run_verifies_the_checkpoint_and_both_runs_are_recorded_with_who_ran_them()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var first = await ledger.AuditAsync();

        var second = await ledger.AuditAsync();

        Verdicts.AssertPassed(second);
        Assert.Equal(first.Signed?.Id, second.AnchoredAt?.Id);
        Assert.Equal(2L, await ledger.Auditor.ScalarAsync<long>(
            "select count(*) from audit.runs where result = 'PASSED' and database_user = 'payments_auditor' and principal = 'audit-tests'"));
        Assert.Equal(2L, await ledger.Auditor.ScalarAsync<long>("select count(*) from audit.checkpoints where recorded_by = 'payments_auditor'"));
    }

    [Fact]
    public async Task An_empty_ledger_passes_and_signs_nothing()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();

        var report = await ledger.AuditAsync();

        Verdicts.AssertPassed(report);
        Assert.Equal(0, report.HeadSequence);
        Assert.Null(report.Signed);
    }
}
