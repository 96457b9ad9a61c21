using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Audit.Reports;

/// <summary>The report for machines: snake_case JSON, enums by name.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    /// <summary>The JSON text of <paramref name="report"/>.</summary>
    public static string Render(AuditReport report) => JsonSerializer.Serialize(report, Options);
}
