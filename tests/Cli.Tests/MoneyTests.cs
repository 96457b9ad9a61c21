using Payments.Cli.Output;

namespace Payments.Cli.Tests;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("250.00", "EUR", 25_000)]
    [InlineData("500", "JPY", 500)]
    [InlineData("1.234", "BHD", 1_234)]
    [InlineData("92233720368547758.07", "EUR", long.MaxValue)]
    public void Amounts_convert_with_the_currencys_own_exponent(string amount, string currency, long minor) =>
        Assert.Equal(minor, Money.ToMinor(amount, currency));

    [Theory]
    [InlineData("79228162514264337593543950335", "EUR")]
    [InlineData("92233720368547758.08", "EUR")]
    [InlineData("9223372036854775808", "JPY")]
    public void An_amount_too_large_is_a_usage_error_not_a_crash(string amount, string currency)
    {
        var error = Assert.Throws<FormatException>(() => Money.ToMinor(amount, currency));
        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_decimals_than_the_currency_has_are_refused() =>
        Assert.Throws<FormatException>(() => Money.ToMinor("1.5", "JPY"));
}
