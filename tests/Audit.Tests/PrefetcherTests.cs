using Payments.Audit.Scan;

namespace Payments.Audit.Tests;

/// <summary>The scan's read-ahead hands over every item in order, ends cleanly, and never hangs a side that waits.</summary>
public sealed class PrefetcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1024)]
    [InlineData(50_000)]
    public async Task Every_item_arrives_once_in_order(int count)
    {
        var source = Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetEnumerator();
        using var prefetcher = new Prefetcher<string>(() => source.MoveNext() ? source.Current : null, CancellationToken.None);

        var received = new List<string>();
        while (prefetcher.Next() is { } item)
        {
            received.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received);
        await prefetcher.Reading.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_failing_reader_ends_the_items_and_faults_reading()
    {
        var produced = 0;
        using var prefetcher = new Prefetcher<string>(
            () => ++produced <= 3000 ? "row" : throw new InvalidDataException("unreadable row"), CancellationToken.None);

        var received = 0;
        while (prefetcher.Next() is not null)
        {
            received++;
        }

        Assert.True(received <= 3000);
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => prefetcher.Reading.WaitAsync(Deadline));
        Assert.Equal("unreadable row", failure.Message);
    }

    [Fact]
    public async Task Cancelling_frees_a_reader_waiting_for_room()
    {
        // Nobody consumes, so the reader fills its queue and waits for room until it is told to stop.
        using var stop = new CancellationTokenSource();
        var produced = 0;
        using var prefetcher = new Prefetcher<string>(() => Interlocked.Increment(ref produced) < 1_000_000 ? "row" : null, stop.Token);
        await WaitUntilAsync(() => Volatile.Read(ref produced) > 8 * 1024);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => prefetcher.Reading.WaitAsync(Deadline));
        Assert.True(Volatile.Read(ref produced) < 1_000_000, "the reader stopped early instead of reading everything");
    }

    [Fact]
    public async Task Cancelling_frees_a_consumer_waiting_for_items()
    {
        using var stop = new CancellationTokenSource();
        using var never = new ManualResetEventSlim();
        using var prefetcher = new Prefetcher<string>(() =>
        {
            never.Wait(stop.Token);
            return null;
        }, stop.Token);
        var consumer = Task.Run(prefetcher.Next);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer.WaitAsync(Deadline));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached before the deadline");
            await Task.Delay(10);
        }
    }
}
