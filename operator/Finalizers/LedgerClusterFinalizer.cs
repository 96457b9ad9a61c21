using System.Net;
using k8s;
using k8s.Autorest;
using Payments.Operator.Controllers;
using Payments.Operator.Entities;
using Payments.Operator.Planning;

namespace Payments.Operator.Finalizers;

/// <summary>
/// Runs before a LedgerCluster goes. The garbage collector removes the owned objects anyway; what it
/// does not do is order them. The audit CronJob goes first, so no audit starts against a platform being
/// taken apart (its failure would read as a broken ledger), then the Dapr component, so the sidecars stop
/// consuming before their pods are killed mid-delivery. The database is never touched: a ledger is
/// not deleted by deleting the resource that runs it.
/// </summary>
public sealed class LedgerClusterFinalizer(IKubernetes kubernetes, LedgerClusterClient clusters)
{
    /// <summary>Adds the finalizer if it is missing; returns the cluster as the API server now has it.</summary>
    public async Task<V1Alpha1LedgerCluster> EnsureAsync(V1Alpha1LedgerCluster cluster, CancellationToken cancellationToken)
    {
        var finalizers = cluster.Metadata.Finalizers ?? [];
        if (finalizers.Contains(LedgerClusterApi.Finalizer))
        {
            return cluster;
        }

        return await clusters.SetFinalizersAsync(cluster, [.. finalizers, LedgerClusterApi.Finalizer], cancellationToken);
    }

    /// <summary>Cleans up in order and removes the finalizer, which lets the deletion finish.</summary>
    public async Task FinalizeAsync(V1Alpha1LedgerCluster cluster, CancellationToken cancellationToken)
    {
        var finalizers = cluster.Metadata.Finalizers ?? [];
        if (!finalizers.Contains(LedgerClusterApi.Finalizer))
        {
            return;
        }

        var ns = cluster.Metadata.NamespaceProperty;
        await IgnoreNotFoundAsync(() => kubernetes.BatchV1.DeleteNamespacedCronJobAsync(
            ClusterNames.Of(cluster, ClusterNames.Audit), ns, cancellationToken: cancellationToken));
        await IgnoreNotFoundAsync(() => kubernetes.CustomObjects.DeleteNamespacedCustomObjectAsync(
            V1Alpha1DaprComponent.Group, V1Alpha1DaprComponent.Version, ns, V1Alpha1DaprComponent.Plural,
            ClusterNames.PubSub(cluster), cancellationToken: cancellationToken));
        await clusters.SetFinalizersAsync(cluster, finalizers.Where(f => f != LedgerClusterApi.Finalizer).ToList(), cancellationToken);
    }

    private static async Task IgnoreNotFoundAsync(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone is what we wanted.
        }
    }
}
