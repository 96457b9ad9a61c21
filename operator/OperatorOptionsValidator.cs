using Microsoft.Extensions.Options;

namespace Payments.Operator;

/// <summary>
/// Refuses settings that would make the operator misbehave quietly: a resync of zero reconciles every
/// Ready cluster in a tight loop against the API server, and a Lease that is too short for its renewals
/// makes leaders flap.
/// </summary>
public sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    /// <summary>The shortest resync the operator accepts, in seconds.</summary>
    public const int ResyncSecondsMin = 1;

    /// <summary>The longest resync, in seconds: a failed audit should reach the status within a day.</summary>
    public const int ResyncSecondsMax = 86_400;

    /// <summary>The shortest Lease, in seconds: the leader retries its renewal every fifth of it.</summary>
    public const int LeaseDurationSecondsMin = 5;

    /// <summary>The longest Lease, in seconds: a new leader takes over at most this long after a crash.</summary>
    public const int LeaseDurationSecondsMax = 120;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        List<string> failures = [];
        if (options.ResyncSeconds is < ResyncSecondsMin or > ResyncSecondsMax)
        {
            failures.Add($"Operator:ResyncSeconds must be between {ResyncSecondsMin} and {ResyncSecondsMax}; it is {options.ResyncSeconds}.");
        }

        if (options.LeaseDurationSeconds is < LeaseDurationSecondsMin or > LeaseDurationSecondsMax)
        {
            failures.Add($"Operator:LeaseDurationSeconds must be between {LeaseDurationSecondsMin} and {LeaseDurationSecondsMax}; it is {options.LeaseDurationSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
