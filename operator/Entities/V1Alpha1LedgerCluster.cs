using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Payments.Operator.Entities;

/// <summary>A payments platform for one ledger: its services, Dapr pub/sub over Kafka and the audit job.</summary>
public sealed class V1Alpha1LedgerCluster : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = LedgerClusterApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = LedgerClusterApi.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public LedgerClusterSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public LedgerClusterStatus? Status { get; set; }
}
