using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Payments.Operator.Entities;
using Payments.Operator.Planning;

namespace Payments.Operator.Controllers;

/// <summary>
/// Removes the finished schema migration Jobs of earlier pod templates once the current one has succeeded,
/// or all of them once the cluster no longer has the operator migrate; their pods would otherwise pile up,
/// one set per upgrade. A Job still running is left to finish. The current Job is kept even when it
/// failed, for its logs: deleting it is how a cluster's owner retries.
/// </summary>
public sealed class MigrationJobPruner(IKubernetes kubernetes)
{
    /// <summary>Deletes the finished migration Jobs of <paramref name="cluster"/> other than <paramref name="current"/> (every one when null).</summary>
    public async Task PruneEarlierAsync(V1Alpha1LedgerCluster cluster, V1Job? current, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata.NamespaceProperty;
        var jobs = await kubernetes.BatchV1.ListNamespacedJobAsync(ns,
            labelSelector: $"{StandardLabels.Instance}={cluster.Metadata.Name},{StandardLabels.Component}={ClusterNames.Migrations}",
            cancellationToken: cancellationToken);
        foreach (var earlier in jobs.Items.Where(job => job.Metadata.Name != current?.Metadata.Name
                     && job.Metadata.OwnerReferences?.Any(o => o.Uid == cluster.Metadata.Uid) == true
                     && (JobStatus.Succeeded(job) || JobStatus.Failed(job))))
        {
            try
            {
                // Background: the Job goes at once, the garbage collector takes its pods after it.
                await kubernetes.BatchV1.DeleteNamespacedJobAsync(earlier.Metadata.Name, ns, propagationPolicy: "Background",
                    cancellationToken: cancellationToken);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone is what we wanted.
            }
        }
    }
}
