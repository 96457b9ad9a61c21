using System.Security.Cryptography;
using System.Text;
using k8s;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>
/// A digest of what the services read only when they start: the shared ConfigMap (as environment
/// variables) and the Dapr component (read by the sidecar). As a pod template annotation it makes a
/// change to either roll the Deployments, which would otherwise go on with the old settings, a
/// settlement account just added or a broker just moved, until something restarted their pods.
/// </summary>
internal static class ConfigDigest
{
    /// <summary>The pod template annotation that carries the digest.</summary>
    public const string Annotation = LedgerClusterApi.Group + "/config-digest";

    /// <summary>The digest of <paramref name="cluster"/>'s configuration, as the services would read it.</summary>
    public static string Of(V1Alpha1LedgerCluster cluster)
    {
        var config = ConfigMapPlan.ConfigMap(cluster).Data.OrderBy(pair => pair.Key, StringComparer.Ordinal);
        var component = DaprComponentPlan.Component(cluster);
        var text = string.Join('\n', KubernetesJson.Serialize(config), KubernetesJson.Serialize(component.Spec),
            component.Auth is null ? string.Empty : KubernetesJson.Serialize(component.Auth));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
