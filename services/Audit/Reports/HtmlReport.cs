using System.Globalization;
using System.Net;
using System.Text;
using Payments.Audit.Checks;

namespace Payments.Audit.Reports;

/// <summary>
/// The report for people: one self-contained HTML page (inline CSS and SVG, no scripts, no external assets)
/// with the verdict, every check, the first offending rows of each failed check, and a chart per currency.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2rem;color:#111;max-width:70rem}
        table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
        th{background:#f3f4f6}.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.85em}.name{white-space:nowrap}.title{min-width:18rem}.note{overflow-wrap:anywhere}.where code{word-break:break-all}
        .badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;color:#fff;font-weight:600}
        .passed{background:#16a34a}.failed{background:#dc2626}.skipped{background:#6b7280}
        """;

    /// <summary>The HTML text of <paramref name="report"/>.</summary>
    public static string Render(AuditReport report)
    {
        var html = new StringBuilder();
        var verdict = report.Passed ? "PASSED" : "FAILED";
        html.Append(Invariant($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit of ledger {E(report.Ledger)}: {verdict}</title>"));
        html.Append("<style>").Append(Style).Append("</style></head><body>");
        html.Append(Invariant($"<h1>Audit of ledger {E(report.Ledger)}: <span id=\"verdict\" class=\"badge {verdict.ToLowerInvariant()}\">{verdict}</span></h1>"));
        Summary(html, report);
        Checks(html, report);
        foreach (var check in report.Checks.Where(c => c.Findings.Count > 0))
        {
            Findings(html, check);
        }

        Currencies(html, report);
        return html.Append("</body></html>").ToString();
    }

    private static void Summary(StringBuilder html, AuditReport report)
    {
        html.Append("<h2>Summary</h2><table id=\"summary\">");
        Row(html, "Result", report.Passed ? "every check passed" : $"{report.FailedChecks} of {report.Checks.Count} checks failed");
        Row(html, "Run", $"{report.RunId} by {report.Principal} as database role {report.DatabaseUser}");
        Row(html, "When", $"{report.StartedAt:O}, {report.DurationSeconds:0.00} s");
        Row(html, "Scanned", $"{report.TransfersScanned:N0} transfers, {report.EntriesScanned:N0} entries ({report.EntriesPerSecond:N0} entries/s)");
        Row(html, "Head", $"seq {report.HeadSequence}, hash {report.HeadHash}");
        Row(html, "Anchored at", report.AnchoredAt is { } a ? $"checkpoint seq {a.Sequence}, signed {a.SignedAt:O} by key {a.KeyId}" : "no checkpoint");
        Row(html, "Signed", report.Signed is { } s ? $"new checkpoint seq {s.Sequence}, hash {s.HeadHash}" : "no new checkpoint");
        html.Append("</table>");
    }

    private static void Checks(StringBuilder html, AuditReport report)
    {
        html.Append("<h2>Checks</h2><table id=\"checks\"><tr><th>result</th><th>check</th><th>what it asserts</th><th>problems</th><th>notes</th></tr>");
        foreach (var check in report.Checks)
        {
            var status = check.Status.ToString().ToLowerInvariant();
            html.Append(Invariant($"<tr><td><span class=\"badge {status}\">{status.ToUpperInvariant()}</span></td><td class=\"name\"><code>{E(check.Name)}</code></td>"));
            html.Append(Invariant($"<td class=\"title\">{E(check.Title)}</td><td class=\"num\">{check.ProblemCount:N0}</td><td class=\"note\">{E(check.Note)}</td></tr>"));
        }

        html.Append("</table>");
    }

    private static void Findings(StringBuilder html, CheckResult check)
    {
        html.Append(Invariant($"<h3>{E(check.Name)}: first offending rows</h3><table><tr><th>where</th><th>problem</th></tr>"));
        foreach (var finding in check.Findings)
        {
            html.Append(Invariant($"<tr><td class=\"where\"><code>{E(finding.Where)}</code></td><td>{E(finding.Problem)}</td></tr>"));
        }

        if (check.ProblemCount > check.Findings.Count)
        {
            html.Append(Invariant($"<tr><td colspan=\"2\">and {check.ProblemCount - check.Findings.Count:N0} more</td></tr>"));
        }

        html.Append("</table>");
    }

    private static void Currencies(StringBuilder html, AuditReport report)
    {
        html.Append("<h2>Volume and balances per currency</h2><p>Amounts in minor units.</p>");
        foreach (var currency in report.Currencies)
        {
            html.Append(Invariant($"<h3>{E(currency.Currency)}</h3><table><tr><th>transfers</th><th>accounts</th><th>volume</th><th>held</th><th>reserved</th></tr>"));
            html.Append(Invariant($"<tr><td class=\"num\">{currency.Transfers:N0}</td><td class=\"num\">{currency.Accounts:N0}</td><td class=\"num\">{currency.VolumeMinor:N0}</td>"));
            html.Append(Invariant($"<td class=\"num\">{currency.HeldMinor:N0}</td><td class=\"num\">{currency.PendingMinor:N0}</td></tr></table>"));
            html.Append(SvgChart.Render(currency));
        }
    }

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append(Invariant($"<tr><th>{E(label)}</th><td class=\"note\">{E(value)}</td></tr>"));

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
