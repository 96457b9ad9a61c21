using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>The names of everything the operator creates for a LedgerCluster, in one place.</summary>
public static class ClusterNames
{
    public const string PaymentsApi = "payments-api";
    public const string Ledger = "ledger";
    public const string Settlement = "settlement";
    public const string Audit = "audit";
    public const string Migrations = "migrations";

    /// <summary>The port every service listens on (HTTP/2 cleartext: gRPC and Dapr's app channel).</summary>
    public const int AppPort = 8080;

    // Kubernetes label values, and so the names of Jobs, whose pods carry them as labels.
    private const int LabelValueMax = 63;

    /// <summary>The Deployment, Service and Dapr app id of <paramref name="component"/>.</summary>
    public static string Of(V1Alpha1LedgerCluster cluster, string component) => $"{cluster.Metadata.Name}-{component}";

    /// <summary>The Dapr pub/sub component, which is also the pub/sub name the services publish to.</summary>
    public static string PubSub(V1Alpha1LedgerCluster cluster) => $"{cluster.Metadata.Name}-pubsub";

    /// <summary>
    /// The schema migration Job for the cluster's current images. A Job's pod template cannot change, and a
    /// finished Job never runs again, so each set of migrating images (and owner credentials) gets a Job of
    /// its own, named after a digest of them. A Job's name becomes a label value of its pods, at most 63
    /// characters, so a long cluster name is shortened; the digest covers the whole name.
    /// </summary>
    public static string MigrationJob(V1Alpha1LedgerCluster cluster, string digest)
    {
        var suffix = $"-migrate-{digest}";
        var name = cluster.Metadata.Name;
        return name[..Math.Min(name.Length, LabelValueMax - suffix.Length)] + suffix;
    }

    /// <summary>The ConfigMap every service reads its shared settings from.</summary>
    public static string Config(V1Alpha1LedgerCluster cluster) => $"{cluster.Metadata.Name}-config";
}
