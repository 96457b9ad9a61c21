using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Controllers;

/// <summary>The LedgerCluster calls the controller makes: read, list, watch, finalizers and status.</summary>
public sealed class LedgerClusterClient(IKubernetes kubernetes)
{
    /// <summary>The cluster, or null once it is gone.</summary>
    public async Task<V1Alpha1LedgerCluster?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await kubernetes.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1LedgerCluster>(
                LedgerClusterApi.Group, LedgerClusterApi.Version, ns, LedgerClusterApi.Plural, name, cancellationToken);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every LedgerCluster in every namespace the operator may see, with the list's resourceVersion.</summary>
    public Task<V1Alpha1LedgerClusterList> ListAsync(CancellationToken cancellationToken) =>
        kubernetes.CustomObjects.ListClusterCustomObjectAsync<V1Alpha1LedgerClusterList>(
            LedgerClusterApi.Group, LedgerClusterApi.Version, LedgerClusterApi.Plural, cancellationToken: cancellationToken);

    /// <summary>Changes after <paramref name="resourceVersion"/>; errors in the stream (410 Gone) go to <paramref name="onError"/>.</summary>
    public async IAsyncEnumerable<(WatchEventType Type, V1Alpha1LedgerCluster Cluster)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = kubernetes.CustomObjects.WatchListClusterCustomObjectAsync(
            LedgerClusterApi.Group, LedgerClusterApi.Version, LedgerClusterApi.Plural,
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events)
        {
            yield return (type, KubernetesJson.Deserialize<V1Alpha1LedgerCluster>(((JsonElement)item).GetRawText()));
        }
    }

    /// <summary>
    /// Sets the finalizers by a merge patch that names the resourceVersion it read, so a concurrent
    /// change makes it fail with 409 instead of losing someone else's finalizer.
    /// </summary>
    public async Task<V1Alpha1LedgerCluster> SetFinalizersAsync(
        V1Alpha1LedgerCluster cluster, IList<string> finalizers, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            metadata = new { finalizers, resourceVersion = cluster.Metadata.ResourceVersion },
        });
        return await kubernetes.CustomObjects.PatchNamespacedCustomObjectAsync<V1Alpha1LedgerCluster>(
            new V1Patch(body, V1Patch.PatchType.MergePatch), LedgerClusterApi.Group, LedgerClusterApi.Version, cluster.Metadata.NamespaceProperty,
            LedgerClusterApi.Plural, cluster.Metadata.Name, cancellationToken: cancellationToken);
    }

    /// <summary>Replaces the status through the status subresource; 409 when the cluster changed since it was read.</summary>
    public Task<V1Alpha1LedgerCluster> ReplaceStatusAsync(V1Alpha1LedgerCluster cluster, CancellationToken cancellationToken) =>
        kubernetes.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<V1Alpha1LedgerCluster>(
            cluster, LedgerClusterApi.Group, LedgerClusterApi.Version, cluster.Metadata.NamespaceProperty,
            LedgerClusterApi.Plural, cluster.Metadata.Name, cancellationToken: cancellationToken);
}
