namespace Payments.ServiceDefaults.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class MovableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
