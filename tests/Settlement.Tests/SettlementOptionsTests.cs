namespace Payments.Settlement.Tests;

/// <summary>Settlement refuses at start timings under which the rail could pay money the ledger released.</summary>
public sealed class SettlementOptionsTests
{
    [Theory]
    [InlineData(2000, 2999, "SafetyMarginMs")]
    [InlineData(2000, 0, "SafetyMarginMs")]
    [InlineData(50, 5000, "AttemptTimeoutMs")]
    public void A_margin_that_leaves_the_answer_no_time_to_reach_the_ledger_is_refused(int attemptTimeoutMs, int safetyMarginMs, string setting)
    {
        var result = new SettlementOptionsValidator().Validate(null,
            new SettlementOptions { AttemptTimeoutMs = attemptTimeoutMs, SafetyMarginMs = safetyMarginMs });

        Assert.True(result.Failed);
        Assert.Contains($"Settlement:{setting}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_and_a_margin_of_an_attempt_plus_the_delivery_allowance_are_accepted()
    {
        Assert.True(new SettlementOptionsValidator().Validate(null, new SettlementOptions()).Succeeded);
        Assert.True(new SettlementOptionsValidator().Validate(null, new SettlementOptions
        {
            AttemptTimeoutMs = 500, SafetyMarginMs = 500 + SettlementOptionsValidator.DeliveryAllowanceMs,
        }).Succeeded);
    }

    [Theory]
    [InlineData(-1, 3, 32)]
    [InlineData(200, 0, 32)]
    [InlineData(200, 3, 0)]
    public void Out_of_range_counts_and_waits_are_refused(int backoffMs, int attemptsMax, int parallelism)
    {
        var result = new SettlementOptionsValidator().Validate(null, new SettlementOptions
        {
            BackoffMs = backoffMs, AttemptsMax = attemptsMax, Parallelism = parallelism,
        });

        Assert.True(result.Failed);
    }
}
