namespace Payments.Audit.Reports;

/// <summary>Writes the JSON and HTML reports where they were asked for.</summary>
public static class ReportFiles
{
    /// <summary>Writes each report whose path is given; a null path skips that report.</summary>
    public static async Task WriteAsync(AuditReport report, string? jsonPath, string? htmlPath, CancellationToken cancellationToken)
    {
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonReport.Render(report), cancellationToken);
        }

        if (htmlPath is not null)
        {
            await File.WriteAllTextAsync(htmlPath, HtmlReport.Render(report), cancellationToken);
        }
    }
}
