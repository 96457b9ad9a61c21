using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Payments.Testing;

/// <summary>
/// One service as a real OS process, built by the solution and started from its own output folder. It
/// listens on a port the OS picks; the address is read from the host's "Now listening on" line.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [AssemblyPath(project, assembly)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath(project, assembly))!,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Observe(line.Data);
        process.ErrorDataReceived += (_, line) => Observe(line.Data);
        process.Exited += (_, _) =>
        {
            // Waiting again after exit drains the redirected output, so the message holds the last lines.
            process.WaitForExit();
            listening.TrySetException(new InvalidOperationException($"{assembly} exited early:\n{Output}"));
        };
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>True once the process has ended, whatever the reason.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The OS process id, for reading its memory use.</summary>
    public int ProcessId => process.Id;

    /// <summary>The service's gRPC address.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Everything the process printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="assembly"/> of services/<paramref name="project"/> and waits until it listens.</summary>
    public static async Task<ServiceProcess> StartAsync(string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var service = new ServiceProcess(project, assembly, environment);
        service.Url = await service.listening.Task.WaitAsync(StartTimeout);
        return service;
    }

    /// <summary>kill -9: no shutdown hooks, no flushing, no goodbye.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    /// <summary>Where the build put <paramref name="assembly"/> of services/<paramref name="project"/>.</summary>
    public static string AssemblyPath(string project, string assembly)
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        return Path.Combine(RepositoryRoot(), "services", project, "bin", configuration, "net10.0", assembly);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Payments.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Payments.sln not found above the test folder.");
    }

    [GeneratedRegex(@"Now listening on: (https?://\S+)")]
    private static partial Regex ListeningLine();
}
