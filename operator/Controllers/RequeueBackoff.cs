namespace Payments.Operator.Controllers;

/// <summary>Bounded exponential backoff per key: 1 s, 2 s, 4 s, ... up to 5 minutes; a success resets it.</summary>
public sealed class RequeueBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, int> failures = [];

    /// <summary>The delay before the next attempt at <paramref name="key"/>, which has just failed once more.</summary>
    public TimeSpan NextDelay(string key)
    {
        var count = failures.GetValueOrDefault(key);
        failures[key] = count + 1;
        // 2^9 s already exceeds the bound; capping the exponent keeps the arithmetic from overflowing.
        var delay = Initial * Math.Pow(2, Math.Min(count, 9));
        return delay < Max ? delay : Max;
    }

    /// <summary>Forgets the failures of <paramref name="key"/>.</summary>
    public void Reset(string key) => failures.Remove(key);
}
