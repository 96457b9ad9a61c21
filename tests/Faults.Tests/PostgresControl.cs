using System.Diagnostics;

namespace Payments.Faults.Tests;

/// <summary>Stops and starts the local PostgreSQL cluster the way an operator (or a crash) would.</summary>
internal static class PostgresControl
{
    /// <summary>
    /// Immediate mode: no checkpoint, every session cut off, recovery from the WAL on start. The cluster
    /// is the one the tests use: the one on PAYMENTS_PG_PORT (default 5432).
    /// </summary>
    public static async Task RestartImmediatelyAsync()
    {
        var port = Environment.GetEnvironmentVariable("PAYMENTS_PG_PORT") ?? "5432";
        var cluster = (await RunAsync("pg_lsclusters", "-h")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .First(columns => columns[2] == port);
        await RunAsync("pg_ctlcluster", cluster[0], cluster[1], "restart", "-m", "immediate");
    }

    private static async Task<string> RunAsync(string command, params string[] arguments)
    {
        // Root runs it directly (as CI does); anyone else needs password-less sudo.
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? command : "sudo", asRoot ? arguments : ["-n", command, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{command} failed: {error}");
    }
}
