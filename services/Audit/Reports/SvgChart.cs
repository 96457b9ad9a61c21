using System.Globalization;
using System.Text;

namespace Payments.Audit.Reports;

/// <summary>
/// An inline SVG line chart of one currency over time: cumulative volume, money held in accounts and money
/// reserved by holds. Plain SVG with no script or external asset, so the page renders anywhere, offline.
/// </summary>
internal static class SvgChart
{
    private const int Width = 760;
    private const int Height = 260;
    private const int Left = 90;
    private const int Right = 20;
    private const int Top = 20;
    private const int Bottom = 50;

    private static readonly (string Label, string Color, Func<TimelinePoint, decimal> Value)[] Lines =
    [
        ("volume (cumulative)", "#2563eb", p => p.VolumeMinor),
        ("held in accounts", "#16a34a", p => p.HeldMinor),
        ("reserved by holds", "#d97706", p => p.PendingMinor),
    ];

    public static string Render(CurrencySummary currency)
    {
        var points = currency.Timeline;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">"));
        svg.Append(Invariant($"<title>{currency.Currency}: volume and balances over time</title>"));
        var maxValue = Math.Max(1m, points.SelectMany(p => Lines.Select(line => line.Value(p))).DefaultIfEmpty(1m).Max());
        var first = points.Count > 0 ? points[0].At : DateTimeOffset.UnixEpoch;
        var span = points.Count > 1 ? Math.Max(1, (points[^1].At - first).TotalMilliseconds) : 1;
        Axes(svg, maxValue, first, points.Count > 0 ? points[^1].At : first);
        for (var i = 0; i < Lines.Length; i++)
        {
            var (label, color, value) = Lines[i];
            var coordinates = points.Select(p => Invariant(
                $"{X((p.At - first).TotalMilliseconds / span):0.#},{Y((double)(value(p) / maxValue)):0.#}"));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', coordinates)}\"/>"));
            svg.Append(Invariant($"<rect x=\"{Left + (i * 210)}\" y=\"{Height - 18}\" width=\"12\" height=\"12\" fill=\"{color}\"/>"));
            svg.Append(Invariant($"<text x=\"{Left + (i * 210) + 16}\" y=\"{Height - 8}\" font-size=\"12\">{label}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Axes(StringBuilder svg, decimal maxValue, DateTimeOffset from, DateTimeOffset to)
    {
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#555\"/>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#555\"/>"));
        svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Top + 4}\" font-size=\"11\" text-anchor=\"end\">{maxValue:N0}</text>"));
        svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Height - Bottom}\" font-size=\"11\" text-anchor=\"end\">0</text>"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{Height - Bottom + 16}\" font-size=\"11\">{from:yyyy-MM-dd HH:mm:ss}</text>"));
        svg.Append(Invariant($"<text x=\"{Width - Right}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"end\">{to:yyyy-MM-dd HH:mm:ss} UTC</text>"));
    }

    private static double X(double fraction) => Left + (fraction * (Width - Left - Right));

    private static double Y(double fraction) => Height - Bottom - (fraction * (Height - Top - Bottom));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
