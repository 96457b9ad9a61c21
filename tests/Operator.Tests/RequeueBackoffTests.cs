using Payments.Operator.Controllers;

namespace Payments.Operator.Tests;

public sealed class RequeueBackoffTests
{
    [Fact]
    public void DelaysDoublePerKeyUpToTheBoundAndResetOnSuccess()
    {
        var backoff = new RequeueBackoff();

        var delays = Enumerable.Range(0, 12).Select(_ => backoff.NextDelay("a")).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300], delays.Select(d => (int)d.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay("b"));
        backoff.Reset("a");
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay("a"));
    }
}
