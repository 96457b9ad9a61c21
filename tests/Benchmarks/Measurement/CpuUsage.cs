using System.Globalization;
using Npgsql;

namespace Payments.Benchmarks.Measurement;

/// <summary>
/// CPU time the parts of the platform spend per payment, from /proc (Linux). Unlike throughput, it hardly
/// changes when other work shares the machine, so it shows where the cost is and whether a change cut it.
/// </summary>
internal sealed class CpuUsage
{
    // The kernel reports process times in clock ticks; 100 per second on every Linux build that matters.
    private const double MillisecondsPerTick = 10;

    private readonly Dictionary<string, int[]> parts;
    private readonly Dictionary<string, long> atStart;

    private CpuUsage(Dictionary<string, int[]> parts)
    {
        this.parts = parts;
        atStart = Ticks();
    }

    /// <summary>Starts measuring the API, the Ledger, this process (the clients) and PostgreSQL (this database's sessions and the server's own processes).</summary>
    public static async Task<CpuUsage?> StartAsync(int apiProcessId, int ledgerProcessId, NpgsqlDataSource database)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        await using var command = database.CreateCommand("select pid from pg_stat_activity where datname = current_database() or datname is null");
        var postgres = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                postgres.Add(reader.GetInt32(0));
            }
        }

        return new CpuUsage(new Dictionary<string, int[]>
        {
            ["api"] = [apiProcessId], ["ledger"] = [ledgerProcessId], ["postgres"] = [.. postgres], ["clients"] = [Environment.ProcessId],
        });
    }

    /// <summary>CPU milliseconds per item since the start, per part, as "api 0.29, ledger 0.22, ...".</summary>
    public string PerItem(long items)
    {
        var now = Ticks();
        var perPart = parts.Keys.Select(part => (part, ms: (now[part] - atStart[part]) * MillisecondsPerTick / Math.Max(items, 1))).ToList();
        return "CPU ms per payment: " + string.Join(", ", perPart.Select(p => $"{p.part} {p.ms:0.000}"))
            + $", total {perPart.Sum(p => p.ms):0.000}";
    }

    private Dictionary<string, long> Ticks() => parts.ToDictionary(p => p.Key, p => p.Value.Sum(TicksOf));

    // A process that has exited since the start counts from then on as nothing more.
    private static long TicksOf(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (IOException)
        {
            return 0;
        }

        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are
        // the 14th and 15th fields of the line, the 12th and 13th after the name.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
