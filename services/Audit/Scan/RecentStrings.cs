using System.Text;

namespace Payments.Audit.Scan;

/// <summary>
/// The strings a column repeats (currencies, kinds, principals), decoded once: a row whose bytes equal one of
/// the last few values gets that value's string back instead of a new one. Bounded, so a column of distinct
/// values costs a short comparison per row and nothing more.
/// </summary>
internal sealed class RecentStrings
{
    private const int Capacity = 8;
    private readonly (byte[] Bytes, string Value)[] recent = new (byte[], string)[Capacity];
    private int count;
    private int nextToReplace;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < count; i++)
        {
            if (utf8.SequenceEqual(recent[i].Bytes))
            {
                return recent[i].Value;
            }
        }

        var value = Encoding.UTF8.GetString(utf8);
        var slot = count < Capacity ? count++ : nextToReplace++ % Capacity;
        recent[slot] = (utf8.ToArray(), value);
        return value;
    }
}
