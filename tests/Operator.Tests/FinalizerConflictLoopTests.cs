using Payments.Testing;

namespace Payments.Operator.Tests;

/// <summary>
/// The finalizer's merge patch names the resourceVersion it read, so a concurrent edit of the cluster
/// makes it answer 409. That is routine: the operator reads the cluster again and goes on, without a
/// warning and without backing off.
/// </summary>
public sealed class FinalizerConflictLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RunningOperator running = null!;

    public async Task InitializeAsync() =>
        running = await RunningOperator.StartAsync(SampleClusters.Minimal(), loopback => loopback.ConflictNextMergePatches(1));

    public async Task DisposeAsync() => await running.DisposeAsync();

    [Fact]
    public async Task AConflictOnTheFinalizerPatchIsAQuietRequeue()
    {
        await Eventually.WaitUntilAsync(() => Task.FromResult(running.Status()?["observedGeneration"]?.GetValue<long>() == 1),
            Timeout, "the status is written after the conflict");

        var finalizerPatches = running.Api.Requests.Count(r => r.Method == "PATCH" && r.Path == RunningOperator.ClusterPath);
        Assert.True(finalizerPatches >= 2, "the conflicted patch was sent again");
        Assert.Contains("payments.example.io/finalizer",
            running.Api.Get(RunningOperator.ClusterPath)!["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Empty(running.Warnings.Messages);
    }
}
