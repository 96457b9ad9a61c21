using System.Globalization;

namespace Payments.Cli.Output;

/// <summary>
/// Converts between what people type ("250.00 EUR") and integer minor units, exactly: decimal
/// arithmetic, never floating point, and an amount with more digits than the currency has is refused.
/// </summary>
internal static class Money
{
    // ISO 4217 minor-unit exponents that differ from the usual two.
    private static readonly Dictionary<string, int> ExponentByCurrency = new(StringComparer.Ordinal)
    {
        ["JPY"] = 0, ["KRW"] = 0, ["ISK"] = 0, ["CLP"] = 0, ["VND"] = 0,
        ["BHD"] = 3, ["KWD"] = 3, ["JOD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    };

    /// <summary>Minor units of <paramref name="amount"/> in <paramref name="currency"/>.</summary>
    public static long ToMinor(string amount, string currency)
    {
        if (!decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{amount}' is not an amount such as 250.00.");
        }

        // Compared before multiplying: decimal's own range ends near 7.9e28, and an amount close to it
        // would overflow the multiplication instead of being refused.
        if (value > long.MaxValue / Factor(currency))
        {
            throw new FormatException($"'{amount}' is too large an amount of {currency}.");
        }

        var minor = value * Factor(currency);
        if (minor != decimal.Truncate(minor))
        {
            throw new FormatException($"'{amount}' has more decimals than {currency} allows.");
        }

        return (long)minor;
    }

    /// <summary><paramref name="minor"/> units of <paramref name="currency"/>, formatted with its decimals.</summary>
    public static string Format(long minor, string currency)
    {
        var exponent = Exponent(currency);
        var value = minor / Factor(currency);
        return value.ToString("N" + exponent, CultureInfo.InvariantCulture) + " " + currency;
    }

    private static int Exponent(string currency) => ExponentByCurrency.GetValueOrDefault(currency, 2);

    private static decimal Factor(string currency) => (decimal)Math.Pow(10, Exponent(currency));
}
