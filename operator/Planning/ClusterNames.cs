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

    /// <summary>The Deployment, Service and Dapr app id of <paramref name="component"/>.</summary>
    public static string Of(V1Alpha1LedgerCluster cluster, string component) => $"{cluster.Metadata.Name}-{component}";

    /// <summary>The Dapr pub/sub component, which is also the pub/sub name the services publish to.</summary>
    public static string PubSub(V1Alpha1LedgerCluster cluster) => $"{cluster.Metadata.Name}-pubsub";

    /// <summary>
    /// The schema migration Job for the pod template <paramref name="digest"/> names. A Job's pod template
    /// cannot change, and a finished Job never runs again, so every other template (new images, another
    /// owner Secret, a new pull policy or operator) gets a Job of its own.
    /// </summary>
    public static string MigrationJob(V1Alpha1LedgerCluster cluster, string digest) => $"{cluster.Metadata.Name}-migrate-{digest}";

    /// <summary>The ConfigMap every service reads its shared settings from.</summary>
    public static string Config(V1Alpha1LedgerCluster cluster) => $"{cluster.Metadata.Name}-config";
}
