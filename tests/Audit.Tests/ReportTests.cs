using System.Text.Json;
using Payments.Audit.Reports;

namespace Payments.Audit.Tests;

/// <summary>The reports: JSON that machines can read, and an HTML page that a real browser renders with the summary on it.</summary>
public sealed class ReportTests
{
    [Fact]
    public async Task The_html_report_renders_in_headless_chromium_with_its_summary_and_charts()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var report = await ledger.AuditAsync();
        var page = Path.Combine(ledger.Folder, "audit.html");
        var png = Path.Combine(ledger.Folder, "audit.png");
        await ReportFiles.WriteAsync(report, null, page, CancellationToken.None);

        await HeadlessChromium.ScreenshotAsync(page, png, 1280, 1600);
        var dom = await HeadlessChromium.DumpDomAsync(page);

        Assert.Equal((1280, 1600), HeadlessChromium.PngSize(png));
        // A blank page of this size compresses to a few kilobytes; text, tables and charts take far more.
        Assert.True(new FileInfo(png).Length > 40_000, $"the screenshot is only {new FileInfo(png).Length} bytes");
        Assert.Contains("Audit of ledger main: <span id=\"verdict\" class=\"badge passed\">PASSED</span>", dom, StringComparison.Ordinal);
        Assert.Contains("every check passed", dom, StringComparison.Ordinal);
        Assert.Contains($"{report.EntriesScanned:N0} entries", dom, StringComparison.Ordinal);
        Assert.Contains("<svg", dom, StringComparison.Ordinal);
        Assert.Contains("<h3>EUR</h3>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failed_audit_shows_the_offending_rows()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        await ledger.TamperAsync("update ledger.entries set amount_minor = amount_minor + 7 where ledger_seq = 6 and direction = 'C'");
        var report = await ledger.AuditAsync();
        var page = Path.Combine(ledger.Folder, "audit.html");
        await ReportFiles.WriteAsync(report, null, page, CancellationToken.None);

        var dom = await HeadlessChromium.DumpDomAsync(page);

        Assert.Contains("class=\"badge failed\">FAILED</span>", dom, StringComparison.Ordinal);
        Assert.Contains("balanced-entries: first offending rows", dom, StringComparison.Ordinal);
        Assert.Contains("seq 6 (transfer", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_report_carries_the_verdict_every_check_and_the_signed_checkpoint()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var report = await ledger.AuditAsync();
        var path = Path.Combine(ledger.Folder, "audit.json");
        await ReportFiles.WriteAsync(report, path, null, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;

        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(report.HeadSequence, root.GetProperty("signed").GetProperty("sequence").GetInt64());
        Assert.Equal(report.HeadHash, root.GetProperty("head_hash").GetString());
        Assert.All(root.GetProperty("checks").EnumerateArray(), check => Assert.Equal("PASSED", check.GetProperty("status").GetString()));
        Assert.Equal(report.Checks.Select(c => c.Name), root.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }
}
