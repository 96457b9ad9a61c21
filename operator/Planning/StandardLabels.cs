using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>The Kubernetes recommended labels and the owner reference every planned object carries.</summary>
public static class StandardLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagerName = "payments-operator";

    /// <summary>All labels of an object of <paramref name="component"/>.</summary>
    public static Dictionary<string, string> For(V1Alpha1LedgerCluster cluster, string component) => new()
    {
        [Name] = component,
        [Instance] = cluster.Metadata.Name,
        [Component] = component,
        [PartOf] = "payments",
        [ManagedBy] = ManagerName,
    };

    /// <summary>The labels that select the pods of <paramref name="component"/>; never change them, selectors are immutable.</summary>
    public static Dictionary<string, string> Selector(V1Alpha1LedgerCluster cluster, string component) => new()
    {
        [Name] = component,
        [Instance] = cluster.Metadata.Name,
    };

    /// <summary>
    /// Metadata for <paramref name="name"/>: namespace, labels, and the LedgerCluster as controlling owner,
    /// so the garbage collector removes the object with the cluster.
    /// </summary>
    public static V1ObjectMeta Metadata(V1Alpha1LedgerCluster cluster, string name, string component) => new()
    {
        Name = name,
        NamespaceProperty = cluster.Metadata.NamespaceProperty,
        Labels = For(cluster, component),
        OwnerReferences =
        [
            new V1OwnerReference
            {
                ApiVersion = LedgerClusterApi.ApiVersion,
                Kind = LedgerClusterApi.Kind,
                Name = cluster.Metadata.Name,
                Uid = cluster.Metadata.Uid,
                Controller = true,
                BlockOwnerDeletion = true,
            },
        ],
    };
}
