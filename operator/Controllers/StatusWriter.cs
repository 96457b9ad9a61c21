using System.Net;
using k8s.Autorest;
using Payments.Operator.Entities;

namespace Payments.Operator.Controllers;

/// <summary>
/// Writes status through the status subresource. A 409 means the cluster changed since it was read
/// (someone edited it, or the finalizer patch bumped it): re-read and write again, a bounded number of
/// times; if it keeps changing, the next reconcile writes the status.
/// </summary>
public sealed class StatusWriter(LedgerClusterClient clusters, ILogger<StatusWriter> logger)
{
    private const int AttemptsMax = 3;

    /// <summary>Writes <paramref name="conditions"/> for <paramref name="cluster"/>; false if it gave up on conflicts.</summary>
    public async Task<bool> WriteAsync(
        V1Alpha1LedgerCluster cluster, List<LedgerClusterCondition> conditions, CancellationToken cancellationToken)
    {
        var current = cluster;
        for (var attempt = 1; attempt <= AttemptsMax; attempt++)
        {
            current.Status = new LedgerClusterStatus
            {
                ObservedGeneration = cluster.Metadata.Generation,
                Conditions = StatusConditions.Merge(current.Status?.Conditions, conditions),
            };
            try
            {
                await clusters.ReplaceStatusAsync(current, cancellationToken);
                return true;
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
            {
                logger.LogDebug("Status of {Name} conflicted (attempt {Attempt}); re-reading", cluster.Metadata.Name, attempt);
                if (await clusters.GetAsync(cluster.Metadata.NamespaceProperty, cluster.Metadata.Name, cancellationToken) is not { } fresh)
                {
                    return true;
                }

                current = fresh;
            }
        }

        return false;
    }
}
