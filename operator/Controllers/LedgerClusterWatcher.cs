using System.Net;
using k8s;
using k8s.Autorest;
using Payments.Operator.Entities;

namespace Payments.Operator.Controllers;

/// <summary>
/// Lists every LedgerCluster, queues each, then watches from the list's resourceVersion and queues what
/// changes. When the API server has compacted past that version it answers 410 Gone (as the HTTP status,
/// or as an ERROR event in the stream); then events were missed, so the watcher lists again. A watch that
/// simply ends (timeout, a load balancer) resumes from the last version seen.
/// </summary>
public sealed class LedgerClusterWatcher(LedgerClusterClient clusters, ReconcileQueue queue, ILogger<LedgerClusterWatcher> logger)
{
    private const int WatchTimeoutSeconds = 300;
    private static readonly TimeSpan ErrorDelay = TimeSpan.FromSeconds(2);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAndQueueAsync(cancellationToken);
                await WatchAsync(resourceVersion, cancellationToken);
            }
            catch (WatchExpiredException)
            {
                logger.LogInformation("The LedgerCluster watch expired (410 Gone); listing again");
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Gone)
            {
                logger.LogInformation("The LedgerCluster watch expired (410 Gone); listing again");
            }
            catch (Exception exception) when (exception is HttpOperationException or HttpRequestException or IOException)
            {
                logger.LogWarning(exception, "Listing or watching LedgerClusters failed; retrying");
                await Task.Delay(ErrorDelay, cancellationToken);
            }
        }
    }

    private async Task<string> ListAndQueueAsync(CancellationToken cancellationToken)
    {
        var list = await clusters.ListAsync(cancellationToken);
        foreach (var cluster in list.Items)
        {
            queue.Enqueue(ReconcileQueue.KeyOf(cluster.Metadata.NamespaceProperty, cluster.Metadata.Name));
        }

        return list.Metadata.ResourceVersion;
    }

    // Returns only by throwing: 410 relists, anything else is retried by the caller.
    private async Task WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        while (true)
        {
            Exception? streamError = null;
            await foreach (var (type, cluster) in clusters.WatchAsync(
                resourceVersion, WatchTimeoutSeconds, error => streamError ??= error, cancellationToken))
            {
                resourceVersion = cluster.Metadata.ResourceVersion ?? resourceVersion;
                if (type != WatchEventType.Bookmark)
                {
                    queue.Enqueue(ReconcileQueue.KeyOf(cluster.Metadata.NamespaceProperty, cluster.Metadata.Name));
                }
            }

            if (streamError is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
            {
                throw new WatchExpiredException();
            }

            if (streamError is not null)
            {
                throw new IOException("The watch stream failed.", streamError);
            }
        }
    }

    private sealed class WatchExpiredException : Exception;
}
