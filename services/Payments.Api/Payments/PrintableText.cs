using System.Buffers;
using System.Globalization;
using System.Text;

namespace Payments.Api.Payments;

/// <summary>
/// Text that shows as it is: letters, marks, numbers, punctuation, symbols and spaces of any script.
/// Refused are control and format characters (a right-to-left override reorders what follows it on a
/// statement, a zero-width space hides inside a name), line and paragraph separators, private-use and
/// unassigned code points, and lone surrogates, which are no character at all.
/// </summary>
internal static class PrintableText
{
    /// <summary>True when every character of <paramref name="text"/> is printable as described above.</summary>
    public static bool Is(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done || !Printable(rune))
            {
                return false;
            }

            i += used;
        }

        return true;
    }

    private static bool Printable(Rune rune) => Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate);
}
