using System.Collections.Concurrent;
using System.Diagnostics;

namespace Payments.Benchmarks.Measurement;

/// <summary>Collects latencies from many threads and reports percentiles in milliseconds.</summary>
internal sealed class Latencies
{
    private readonly ConcurrentBag<double> samples = [];

    public int Count => samples.Count;

    public void Add(TimeSpan elapsed) => samples.Add(elapsed.TotalMilliseconds);

    /// <summary>Times <paramref name="operation"/> and records it when it succeeds.</summary>
    public async Task<bool> TimeAsync(Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await operation();
        }
        catch (Grpc.Core.RpcException)
        {
            return false;
        }

        Add(Stopwatch.GetElapsedTime(started));
        return true;
    }

    public double Percentile(double p)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
