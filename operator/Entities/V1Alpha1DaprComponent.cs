using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Payments.Operator.Entities;

/// <summary>A Dapr <c>Component</c> (dapr.io/v1alpha1), the subset the operator writes.</summary>
public sealed class V1Alpha1DaprComponent : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "dapr.io";
    public const string Version = "v1alpha1";
    public const string Plural = "components";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Component";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public DaprComponentSpec Spec { get; set; } = new();

    /// <summary>The app ids allowed to use the component; empty means all of them.</summary>
    [JsonPropertyName("scopes")]
    public List<string>? Scopes { get; set; }

    /// <summary>Where secretKeyRef entries are read from.</summary>
    [JsonPropertyName("auth")]
    public DaprComponentAuth? Auth { get; set; }
}

/// <summary>The component's type and its metadata items.</summary>
public sealed class DaprComponentSpec
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("version")]
    public string Version { get; set; } = "v1";

    [JsonPropertyName("metadata")]
    public List<DaprMetadataItem> Metadata { get; set; } = [];
}

/// <summary>One metadata item: a literal value or a reference to a secret.</summary>
public sealed class DaprMetadataItem
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("secretKeyRef")]
    public DaprSecretKeyRef? SecretKeyRef { get; set; }
}

/// <summary>A secret's name and key, as Dapr components reference them.</summary>
public sealed class DaprSecretKeyRef
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("key")]
    public string Key { get; set; } = string.Empty;
}

/// <summary>The secret store that resolves secretKeyRef entries.</summary>
public sealed class DaprComponentAuth
{
    [JsonPropertyName("secretStore")]
    public string SecretStore { get; set; } = "kubernetes";
}
