using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Options;

namespace Payments.Operator.Controllers;

/// <summary>
/// Runs the controller only while this replica holds the coordination.k8s.io Lease, so two operator
/// replicas never reconcile at once. Losing the Lease stops the controller and returns; the host then
/// exits and Kubernetes restarts the pod as a candidate, which is simpler to reason about than a
/// controller that pauses and resumes with stale state.
/// </summary>
public sealed class LeaderElectedOperator(IKubernetes kubernetes, LedgerClusterController controller, IOptions<OperatorOptions> options,
    ILogger<LeaderElectedOperator> logger)
{
    /// <summary>Waits for the Lease, then runs the controller until the Lease is lost or <paramref name="cancellationToken"/> ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var lease = new LeaseLock(kubernetes, settings.Namespace, settings.LeaseName, settings.Identity);
        var duration = TimeSpan.FromSeconds(settings.LeaseDurationSeconds);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = duration,
            RenewDeadline = duration * 2 / 3,
            RetryPeriod = duration / 5,
        });
        var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () => leading.TrySetResult();
        elector.OnError += exception => logger.LogWarning(exception, "Leader election failed for now");

        var election = elector.RunUntilLeadershipLostAsync(cancellationToken);
        if (await Task.WhenAny(leading.Task, election) == election)
        {
            await election;
            return;
        }

        logger.LogInformation("{Identity} leads; reconciling LedgerClusters", settings.Identity);
        using var leadership = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = controller.RunAsync(leadership.Token);
        await Task.WhenAny(election, running);
        await leadership.CancelAsync();
        await IgnoreCancellationAsync(running);
        await IgnoreCancellationAsync(election);
        logger.LogInformation("{Identity} stopped leading", settings.Identity);
    }

    private static async Task IgnoreCancellationAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // The expected end of a task whose token was cancelled.
        }
    }
}
