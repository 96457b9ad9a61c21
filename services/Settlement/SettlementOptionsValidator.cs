using Microsoft.Extensions.Options;

namespace Payments.Settlement;

/// <summary>
/// Refuses timings under which Settlement would pay money the ledger has released. The last rail call
/// ends by the last allowed start; after it, asking the rail what it decided may take one more attempt's
/// time, and the result must still be published and reach the writer before the reservation expires.
/// So the safety margin must cover an attempt's time plus <see cref="DeliveryAllowanceMs"/>.
/// </summary>
public sealed class SettlementOptionsValidator : IValidateOptions<SettlementOptions>
{
    /// <summary>What the margin keeps for publishing a result and the ledger's writer applying it.</summary>
    public const int DeliveryAllowanceMs = 1000;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SettlementOptions options)
    {
        List<string> failures = [];
        Range(failures, "AttemptTimeoutMs", options.AttemptTimeoutMs, 100, 600_000);
        Range(failures, "AttemptsMax", options.AttemptsMax, 1, 10);
        Range(failures, "BackoffMs", options.BackoffMs, 0, 60_000);
        Range(failures, "Parallelism", options.Parallelism, 1, 1024);
        Range(failures, "InquiryIntervalMs", options.InquiryIntervalMs, 100, 3_600_000);
        if (options.SafetyMarginMs < options.AttemptTimeoutMs + DeliveryAllowanceMs)
        {
            failures.Add($"Settlement:SafetyMarginMs ({options.SafetyMarginMs}) must be at least Settlement:AttemptTimeoutMs " +
                $"({options.AttemptTimeoutMs}) plus {DeliveryAllowanceMs}: the rail's answer must reach the ledger before the reservation expires.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Settlement:{setting} must be between {min} and {max}; it is {value}.");
        }
    }
}
