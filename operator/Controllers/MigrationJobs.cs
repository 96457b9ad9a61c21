using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Payments.Operator.Entities;
using Payments.Operator.Planning;

namespace Payments.Operator.Controllers;

/// <summary>
/// The schema migration Jobs as the controller sees them: whether the current one has finished, and the
/// removal of those of earlier images once it has succeeded (their pods would otherwise pile up, one set
/// per upgrade). A failed Job is kept for its logs; deleting it is how an operator of the cluster retries.
/// </summary>
public sealed class MigrationJobs(IKubernetes kubernetes)
{
    /// <summary>True once the Job's pod ran every step to the end.</summary>
    public static bool Succeeded(V1Job job) => HasCondition(job, "Complete") || (job.Status?.Succeeded ?? 0) > 0;

    /// <summary>True once the Job gave up: out of retries or out of time.</summary>
    public static bool Failed(V1Job job) => !Succeeded(job) && HasCondition(job, "Failed");

    /// <summary>Deletes the finished migration Jobs of <paramref name="cluster"/> other than <paramref name="current"/>.</summary>
    public async Task PruneEarlierAsync(V1Alpha1LedgerCluster cluster, V1Job current, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata.NamespaceProperty;
        var jobs = await kubernetes.BatchV1.ListNamespacedJobAsync(ns,
            labelSelector: $"{StandardLabels.Instance}={cluster.Metadata.Name},{StandardLabels.Component}={ClusterNames.Migrations}",
            cancellationToken: cancellationToken);
        foreach (var earlier in jobs.Items.Where(job => job.Metadata.Name != current.Metadata.Name
                     && job.Metadata.OwnerReferences?.Any(o => o.Uid == cluster.Metadata.Uid) == true
                     && (Succeeded(job) || Failed(job))))
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

    private static bool HasCondition(V1Job job, string type) =>
        job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") ?? false;
}
