using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Benchmarks.Measurement;

/// <summary>One scenario's figures; ratios are filled in once the baselines of the same run are known.</summary>
internal sealed record Result(string Name, double PerSecond, double P50Ms, double P99Ms, double P999Ms, double PeakMb, string Note)
{
    [JsonPropertyName("ratio_to_naive")]
    public double RatioToNaive { get; set; }

    [JsonPropertyName("ratio_to_ceiling")]
    public double RatioToCeiling { get; set; }

    public static void PrintTable(IReadOnlyList<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-34} {"per second",12} {"p50 ms",8} {"p99 ms",8} {"p999 ms",8} {"peak MB",8} {"x naive",8} {"x ceiling",9}  note");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-34} {r.PerSecond,12:N0} {r.P50Ms,8:0.0} {r.P99Ms,8:0.0} {r.P999Ms,8:0.0} {r.PeakMb,8:0} {r.RatioToNaive,8:0.00} {r.RatioToCeiling,9:0.00}  {r.Note}"));
        }
    }

    public static string Json(IReadOnlyList<Result> results, bool quick) => JsonSerializer.Serialize(new
    {
        quick,
        machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.VersionString },
        scenarios = results,
    }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
}
