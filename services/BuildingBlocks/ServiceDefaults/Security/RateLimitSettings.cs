namespace Payments.ServiceDefaults.Security;

/// <summary>Configuration section <c>RateLimit</c>: a token bucket per principal.</summary>
public sealed class RateLimitSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimit";

    /// <summary>Calls a principal may make per second, sustained. A batch is one call.</summary>
    public int CallsPerSecond { get; set; } = 500;

    /// <summary>Calls a principal may make at once after being idle.</summary>
    public int BurstMax { get; set; } = 1000;
}
