using Payments.Audit.Reports;

namespace Payments.Cli.Output;

/// <summary>An audit's verdict for a terminal: one table row per check, then the run's figures.</summary>
internal static class AuditSummary
{
    private const int ProblemWidthMax = 90;

    public static void Write(TextWriter output, AuditReport report, string? jsonPath, string? htmlPath)
    {
        Tables.Write(output, ["check", "result", "problems", "first problem"], report.Checks.Select(check => new[]
        {
            check.Name,
            check.Status.ToString().ToUpperInvariant(),
            check.ProblemCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            check.Findings.Count == 0 ? "" : Shorten($"{check.Findings[0].Where}: {check.Findings[0].Problem}"),
        }).ToList());
        output.WriteLine();
        output.WriteLine($"{(report.Passed ? "PASSED" : "FAILED")}  ledger {report.Ledger}, head seq {report.HeadSequence}, " +
            $"{report.EntriesScanned:N0} entries in {report.DurationSeconds:0.00} s ({report.EntriesPerSecond:N0} entries/s)");
        if (report.Signed is { } signed)
        {
            output.WriteLine($"Signed checkpoint seq {signed.Sequence}, hash {signed.HeadHash}, key {signed.KeyId}.");
        }

        foreach (var path in new[] { jsonPath, htmlPath }.OfType<string>())
        {
            output.WriteLine($"Report: {path}");
        }
    }

    private static string Shorten(string text) => text.Length <= ProblemWidthMax ? text : text[..(ProblemWidthMax - 1)] + "…";
}
