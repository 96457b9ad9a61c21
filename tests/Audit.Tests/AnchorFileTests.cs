using Payments.Audit.Checkpoints;
using Payments.Audit.Reports;

namespace Payments.Audit.Tests;

/// <summary>
/// Whoever can rewrite the ledger can also delete the database's checkpoints; the anchor file, kept
/// elsewhere, still catches the rewrite.
/// </summary>
public sealed class AnchorFileTests
{
    [Fact]
    public async Task A_rewrite_with_every_checkpoint_deleted_is_caught_by_the_anchor_file()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var anchor = Path.Combine(ledger.Folder, "anchor.json");
        var signed = await AuditAsync(ledger, anchor);
        Assert.Equal(signed.Signed!.Id, AnchorFile.Read(anchor)!.Id);

        await Attacker.RewriteChainFromAsync(ledger.Database, 3, "mallory");
        await ledger.TamperAsync("delete from audit.checkpoints");

        var withoutAnchor = await ledger.AuditAsync();
        var report = await AuditAsync(ledger, anchor);

        Verdicts.AssertPassed(withoutAnchor);
        Verdicts.AssertFailedExactly(report, "signed-checkpoints");
        var finding = Verdicts.AssertFirstFindingAt(report, "signed-checkpoints", $"seq {signed.HeadSequence} (the anchor file's checkpoint");
        Assert.Contains("rewritten", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_signing_run_moves_the_anchor_to_its_head()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync(transfers: 20);
        var anchor = Path.Combine(ledger.Folder, "anchor.json");
        var first = await AuditAsync(ledger, anchor);
        await Ledger.Tests.Verification.Workloads.RunMixedAsync(ledger.Database, transfers: 5);

        var second = await AuditAsync(ledger, anchor);

        Verdicts.AssertPassed(second);
        var anchored = AnchorFile.Read(anchor)!;
        Assert.Equal((second.Signed!.Id, second.HeadSequence), (anchored.Id, anchored.Sequence));
        Assert.True(second.HeadSequence > first.HeadSequence);
    }

    [Theory]
    [InlineData("{ \"sequence\": 1 }", "no readable checkpoint")]
    [InlineData("not json", "no readable checkpoint")]
    public async Task An_anchor_file_that_cannot_be_read_fails_the_check(string content, string problem)
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync(transfers: 10);
        var anchor = Path.Combine(ledger.Folder, "anchor.json");
        await File.WriteAllTextAsync(anchor, content);

        var report = await AuditAsync(ledger, anchor);

        Verdicts.AssertFailedExactly(report, "signed-checkpoints");
        Assert.Contains(problem, Verdicts.AssertFirstFindingAt(report, "signed-checkpoints", "the anchor file").Problem, StringComparison.Ordinal);
        Assert.Null(report.Signed);
    }

    [Fact]
    public async Task An_anchor_of_another_ledger_fails_the_check()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync(transfers: 10);
        var anchor = Path.Combine(ledger.Folder, "anchor.json");
        var signed = await AuditAsync(ledger, anchor);
        await AnchorFile.WriteAsync(anchor, AnchorFile.Read(anchor)! with { Ledger = "other" }, CancellationToken.None);

        var report = await AuditAsync(ledger, anchor);

        Verdicts.AssertFailedExactly(report, "signed-checkpoints");
        Assert.Contains("anchors ledger other", Verdicts.AssertFirstFindingAt(report, "signed-checkpoints", "the anchor file").Problem, StringComparison.Ordinal);
        Assert.NotNull(signed.Signed);
    }

    [Fact]
    public async Task A_run_that_signed_an_earlier_head_does_not_move_the_anchor_back()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync(transfers: 10);
        var anchor = Path.Combine(ledger.Folder, "anchor.json");
        var earlier = (await AuditAsync(ledger, anchor)).Signed!;
        var earlierCheckpoint = AnchorFile.Read(anchor)!;
        await Ledger.Tests.Verification.Workloads.RunMixedAsync(ledger.Database, transfers: 5);
        var later = (await AuditAsync(ledger, anchor)).Signed!;

        // A run that started before the later one, and finishes after it.
        await AnchorFile.WriteAsync(anchor, earlierCheckpoint, CancellationToken.None);

        Assert.Equal(later.Id, AnchorFile.Read(anchor)!.Id);
        Assert.True(later.Sequence > earlier.Sequence);
        Assert.Empty(Directory.GetFiles(ledger.Folder, "*.tmp"));
    }

    [Fact]
    public async Task An_anchor_in_a_folder_that_is_not_there_fails_the_check_rather_than_starting_afresh()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync(transfers: 10);

        // A volume that was not mounted: its folder is missing, unlike a first run's file.
        var report = await AuditAsync(ledger, Path.Combine(ledger.Folder, "not-mounted", "anchor.json"));

        Verdicts.AssertFailedExactly(report, "signed-checkpoints");
        Assert.Null(report.Signed);
    }

    private static Task<AuditReport> AuditAsync(AuditedLedger ledger, string anchor) => AuditRunner.RunAsync(ledger.Auditor, new AuditSettings
    {
        KeyPath = ledger.KeyPath,
        AnchorPath = anchor,
        Principal = "audit-tests",
    }, null, CancellationToken.None);
}
