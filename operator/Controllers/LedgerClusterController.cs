using System.Net;
using k8s.Autorest;

namespace Payments.Operator.Controllers;

/// <summary>The watch feeding the queue, and one worker reconciling from it with per-key backoff.</summary>
public sealed class LedgerClusterController(
    LedgerClusterWatcher watcher, ReconcileQueue queue, LedgerClusterReconciler reconciler, ILogger<LedgerClusterController> logger)
{
    private readonly RequeueBackoff backoff = new();

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (leadership lost or shutdown).</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(watcher.RunAsync(cancellationToken), WorkAsync(cancellationToken));

    // One worker: LedgerClusters are few, and reconciling them one at a time keeps the API server calm.
    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var key = await queue.DequeueAsync(cancellationToken);
            var (ns, name) = ReconcileQueue.Split(key);
            ReconcileOutcome outcome;
            try
            {
                outcome = await reconciler.ReconcileAsync(ns, name, cancellationToken);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // The finalizer patch names the resourceVersion it read; someone wrote the cluster since.
                logger.LogDebug("Reconciling {Key} conflicted with a concurrent change; reading it again", key);
                outcome = ReconcileOutcome.Conflicted;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Reconciling {Key} failed", key);
                outcome = ReconcileOutcome.Failure;
            }

            if (outcome.Failed)
            {
                queue.EnqueueAfter(key, backoff.NextDelay(key), cancellationToken);
                continue;
            }

            backoff.Reset(key);
            if (outcome.RequeueAfter is { } delay)
            {
                queue.EnqueueAfter(key, delay, cancellationToken);
            }
        }
    }
}
