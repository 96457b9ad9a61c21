using System.Diagnostics;
using System.Globalization;

namespace Payments.Benchmarks.Measurement;

/// <summary>Peak resident memory (VmHWM) of a process, from /proc.</summary>
internal static class Memory
{
    public static double PeakMegabytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public static double PeakMegabytesOfThisProcess() => PeakMegabytes(Environment.ProcessId);

    public static void Touch() => _ = Process.GetCurrentProcess();
}
