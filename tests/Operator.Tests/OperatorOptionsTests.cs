using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Payments.Operator.Tests;

/// <summary>Settings that would make the operator misbehave quietly stop it from starting instead.</summary>
public sealed class OperatorOptionsTests
{
    [Theory]
    [InlineData(0, 15, "ResyncSeconds")]
    [InlineData(-5, 15, "ResyncSeconds")]
    [InlineData(86_401, 15, "ResyncSeconds")]
    [InlineData(60, 0, "LeaseDurationSeconds")]
    [InlineData(60, 121, "LeaseDurationSeconds")]
    public void An_out_of_range_setting_is_refused_by_name(int resyncSeconds, int leaseDurationSeconds, string refused)
    {
        using var services = Services(resyncSeconds, leaseDurationSeconds);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OperatorOptions>>().Value);
        Assert.Contains("Operator:" + refused, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(60, 15)]
    [InlineData(86_400, 120)]
    public void The_defaults_and_the_limits_are_accepted(int resyncSeconds, int leaseDurationSeconds)
    {
        using var services = Services(resyncSeconds, leaseDurationSeconds);

        Assert.Equal(resyncSeconds, services.GetRequiredService<IOptions<OperatorOptions>>().Value.ResyncSeconds);
    }

    private static ServiceProvider Services(int resyncSeconds, int leaseDurationSeconds) => new ServiceCollection()
        .AddLogging()
        .Configure<OperatorOptions>(options =>
        {
            options.ResyncSeconds = resyncSeconds;
            options.LeaseDurationSeconds = leaseDurationSeconds;
        })
        .AddLedgerClusterOperator()
        .BuildServiceProvider();
}
