using Payments.Operator.Controllers;

namespace Payments.Operator.Tests;

/// <summary>
/// A key waits on at most one delay: every reconcile of a Ready cluster asks to look again after the
/// resync interval, and one delay each would add a resync for good every time a watch event reconciled
/// the cluster in between.
/// </summary>
public sealed class ReconcileQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AKeyAskedForAgainWhileItWaitsComesOnceAtTheEarlierTime()
    {
        var queue = new ReconcileQueue();

        queue.EnqueueAfter("payments/prod", TimeSpan.FromMilliseconds(50), CancellationToken.None);
        queue.EnqueueAfter("payments/prod", TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.Equal("payments/prod", await DequeueAsync(queue));
        // A marker due a second after the later request: the key would come before it if that request had
        // been kept.
        queue.EnqueueAfter("payments/marker", TimeSpan.FromMilliseconds(1500), CancellationToken.None);
        Assert.Equal("payments/marker", await DequeueAsync(queue));
    }

    [Fact]
    public async Task ASoonerRequestReplacesALaterOne()
    {
        var queue = new ReconcileQueue();

        queue.EnqueueAfter("payments/prod", TimeSpan.FromHours(1), CancellationToken.None);
        queue.EnqueueAfter("payments/prod", TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.Equal("payments/prod", await DequeueAsync(queue));
    }

    [Fact]
    public async Task ADelayCancelledWithItsLeadershipDoesNotHoldBackALaterRequest()
    {
        var queue = new ReconcileQueue();
        using var leadership = new CancellationTokenSource();
        queue.EnqueueAfter("payments/prod", TimeSpan.FromMilliseconds(200), leadership.Token);
        await leadership.CancelAsync();

        queue.EnqueueAfter("payments/prod", TimeSpan.FromMilliseconds(400), CancellationToken.None);

        Assert.Equal("payments/prod", await DequeueAsync(queue));
    }

    private static async Task<string> DequeueAsync(ReconcileQueue queue)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        return await queue.DequeueAsync(deadline.Token);
    }
}
