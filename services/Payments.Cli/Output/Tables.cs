namespace Payments.Cli.Output;

/// <summary>Plain-text tables with columns sized to their content.</summary>
internal static class Tables
{
    /// <summary>Writes <paramref name="rows"/> under <paramref name="headers"/>; numeric-looking cells align right.</summary>
    public static void Write(TextWriter output, string[] headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((header, column) =>
            rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        output.WriteLine(Line(headers, widths));
        output.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, column) =>
            LooksNumeric(cell) ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]))).TrimEnd();

    private static bool LooksNumeric(string cell) => cell.Length > 0 && (char.IsDigit(cell[0]) || cell[0] == '-');
}
