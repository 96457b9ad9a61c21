using System.Globalization;
using Payments.Audit;

namespace Payments.Cli.Output;

/// <summary>
/// A one-line progress bar on stderr, redrawn in place at most every <see cref="RedrawIntervalMs"/>. When
/// stderr is not a terminal it prints each stage once instead, so logs stay readable.
/// </summary>
internal sealed class ProgressBar(TextWriter output, bool interactive) : IProgress<AuditProgress>, IDisposable
{
    private const int Width = 30;
    private const int RedrawIntervalMs = 100;
    private readonly Lock gate = new();
    private string? stage;
    private long lastDrawMs = -RedrawIntervalMs;
    private bool drawn;

    public void Report(AuditProgress value)
    {
        lock (gate)
        {
            var now = Environment.TickCount64;
            var newStage = value.Stage != stage;
            stage = value.Stage;
            if (!interactive)
            {
                if (newStage)
                {
                    output.WriteLine($"audit: {value.Stage}");
                }

                return;
            }

            if (newStage || now - lastDrawMs >= RedrawIntervalMs)
            {
                output.Write("\r" + Line(value));
                lastDrawMs = now;
                drawn = true;
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (drawn)
            {
                output.WriteLine();
            }
        }
    }

    private static string Line(AuditProgress value)
    {
        var fraction = value.TransfersTotal == 0 ? 1 : Math.Clamp((double)value.TransfersScanned / value.TransfersTotal, 0, 1);
        var filled = (int)Math.Round(fraction * Width);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', Width - filled)}] {fraction,4:P0}  {value.TransfersScanned:N0} / {value.TransfersTotal:N0} transfers  {value.Stage,-16}");
    }
}
