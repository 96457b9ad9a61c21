using System.Globalization;
using Npgsql;

namespace Payments.Benchmarks.Measurement;

/// <summary>
/// CPU time of the whole PostgreSQL server, from /proc (Linux): its live processes plus every backend that has
/// exited, which the postmaster has reaped into its children's times. Short-lived sessions, such as the
/// audit's, are counted too, as are other databases' on the same server.
/// </summary>
internal sealed class ServerCpu
{
    private const double SecondsPerTick = 0.01;
    private readonly int postmaster;

    private ServerCpu(int postmaster) => this.postmaster = postmaster;

    /// <summary>The server behind <paramref name="dataSource"/>, or null where /proc is not there to read.</summary>
    public static async Task<ServerCpu?> OfAsync(NpgsqlDataSource dataSource)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("select pg_backend_pid()");
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return new ServerCpu(ParentOf(backend));
    }

    /// <summary>CPU-seconds the server has used since it started.</summary>
    public double Seconds()
    {
        var reaped = Fields(postmaster) is { } own ? Ticks(own, 11) + Ticks(own, 13) : 0;
        var live = Directory.EnumerateDirectories("/proc")
            .Select(path => int.TryParse(Path.GetFileName(path), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(Fields)
            .Where(fields => fields is not null && (int)Ticks(fields, 1) == postmaster)
            .Sum(fields => Ticks(fields!, 11));
        return (reaped + live) * SecondsPerTick;
    }

    private static int ParentOf(int processId) => (int)Ticks(Fields(processId)!, 1);

    // utime + stime are fields 11 and 12 after the command name; cutime + cstime 13 and 14; the parent 1.
    private static long Ticks(string[] fields, int at) => at is 11 or 13
        ? long.Parse(fields[at], CultureInfo.InvariantCulture) + long.Parse(fields[at + 1], CultureInfo.InvariantCulture)
        : long.Parse(fields[at], CultureInfo.InvariantCulture);

    private static string[]? Fields(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
