namespace Payments.Testing;

/// <summary>Waits for a condition with a bounded deadline; never sleeps for luck.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollIntervalDefault = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? pollInterval = null)
    {
        var interval = pollInterval ?? PollIntervalDefault;
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            }

            await Task.Delay(interval);
        }
    }
}
