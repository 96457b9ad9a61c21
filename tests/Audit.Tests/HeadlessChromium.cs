using System.Buffers.Binary;
using System.Diagnostics;

namespace Payments.Audit.Tests;

/// <summary>
/// Debian's <c>chromium</c> in headless mode (scripts/test.sh installs it): renders a page to a PNG, or prints
/// the DOM after rendering. Each call is bounded by a deadline, never by a sleep.
/// </summary>
internal static class HeadlessChromium
{
    private const string Executable = "chromium";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>Takes a screenshot of <paramref name="page"/> at the given size into <paramref name="png"/>.</summary>
    public static Task ScreenshotAsync(string page, string png, int width, int height) =>
        RunAsync($"--screenshot={png}", $"--window-size={width},{height}", new Uri(page).AbsoluteUri);

    /// <summary>The DOM of <paramref name="page"/> as Chromium serializes it after loading.</summary>
    public static Task<string> DumpDomAsync(string page) => RunAsync("--dump-dom", new Uri(page).AbsoluteUri);

    /// <summary>The width and height in a PNG's header, after checking its signature.</summary>
    public static (int Width, int Height) PngSize(string png)
    {
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // No sandbox: the tests run as root on the development machines, where Chromium refuses to sandbox.
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                         $"--user-data-dir={profile}" }.Concat(arguments))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Deadline);
            await process.WaitForExitAsync(deadline.Token);
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await errors}");
            return await output;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
