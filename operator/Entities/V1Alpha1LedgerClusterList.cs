using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Payments.Operator.Entities;

/// <summary>A page of LedgerClusters as the API lists them; its resourceVersion is where a watch starts.</summary>
public sealed class V1Alpha1LedgerClusterList : IKubernetesObject<V1ListMeta>, IItems<V1Alpha1LedgerCluster>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = LedgerClusterApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = LedgerClusterApi.Kind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<V1Alpha1LedgerCluster> Items { get; set; } = [];
}
