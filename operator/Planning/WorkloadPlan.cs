using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>The Deployments of the long-running services, each with a Dapr sidecar, and their Services.</summary>
internal static class WorkloadPlan
{
    private const string JwksVolume = "token-keys";
    private const string JwksDirectory = "/var/run/secrets/payments-auth";
    private const string JwksFile = "jwks.json";

    /// <summary>Where every service finds the issuer's public keys (the ConfigMap names this path).</summary>
    public const string JwksPath = JwksDirectory + "/" + JwksFile;

    /// <summary>The Payment API, the Ledger (one writer, the rest standbys) and Settlement.</summary>
    public static IEnumerable<V1Deployment> Deployments(V1Alpha1LedgerCluster cluster)
    {
        var spec = cluster.Spec;
        yield return Deployment(cluster, ClusterNames.PaymentsApi, spec.Images.PaymentsApi, spec.Replicas.PaymentsApi,
            PodTemplates.FromDatabaseSecret(cluster, "ConnectionStrings__Payments", spec.Database.ApiKey));
        // Every replica runs; the advisory lock in the database lets exactly one write at a time (ADR 0020).
        yield return Deployment(cluster, ClusterNames.Ledger, spec.Images.Ledger, spec.Replicas.Ledger,
            PodTemplates.FromDatabaseSecret(cluster, "ConnectionStrings__Ledger", spec.Database.LedgerKey));
        yield return Deployment(cluster, ClusterNames.Settlement, spec.Images.Settlement, spec.Replicas.Settlement,
            PodTemplates.FromDatabaseSecret(cluster, "ConnectionStrings__Settlement", spec.Database.SettlementKey));
    }

    /// <summary>ClusterIP Services for the two gRPC APIs clients call.</summary>
    public static IEnumerable<V1Service> Services(V1Alpha1LedgerCluster cluster)
    {
        yield return Service(cluster, ClusterNames.PaymentsApi);
        yield return Service(cluster, ClusterNames.Ledger);
    }

    /// <summary>The pod annotations that make the Dapr injector add a sidecar.</summary>
    public static Dictionary<string, string> DaprAnnotations(string appId) => new()
    {
        ["dapr.io/enabled"] = "true",
        ["dapr.io/app-id"] = appId,
        ["dapr.io/app-port"] = ClusterNames.AppPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The services speak HTTP/2 only (gRPC without TLS); h2c is Dapr's name for that app channel.
        ["dapr.io/app-protocol"] = "h2c",
        // The pods mount no API token (PodTemplates), and daprd's built-in Kubernetes secret store would need
        // one to start. Nothing here reads secrets through Dapr: components reference theirs by secretKeyRef.
        ["dapr.io/disable-builtin-k8s-secret-store"] = "true",
    };

    private static V1Deployment Deployment(
        V1Alpha1LedgerCluster cluster, string component, string image, int replicas, V1EnvVar connectionString)
    {
        var name = ClusterNames.Of(cluster, component);
        var container = PodTemplates.Container(cluster, component, image, [connectionString]);
        var pod = PodTemplates.Pod(container);
        PodTemplates.MountSecretFile(pod, container, JwksVolume, cluster.Spec.Authentication.JwksSecret, JwksDirectory, JwksFile);
        container.Ports = [new V1ContainerPort { Name = "grpc", ContainerPort = ClusterNames.AppPort }];
        container.ReadinessProbe = new V1Probe { Grpc = new V1GRPCAction { Port = ClusterNames.AppPort }, PeriodSeconds = 5 };
        container.LivenessProbe = new V1Probe
        {
            TcpSocket = new V1TCPSocketAction { Port = ClusterNames.AppPort }, PeriodSeconds = 10, FailureThreshold = 3,
        };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = StandardLabels.Metadata(cluster, name, component),
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = StandardLabels.Selector(cluster, component) },
                // A new pod is ready before an old one goes, so a ledger standby is always there to take over.
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = StandardLabels.For(cluster, component),
                        Annotations = new Dictionary<string, string>(DaprAnnotations(name)) { [ConfigDigest.Annotation] = ConfigDigest.Of(cluster) },
                    },
                    Spec = pod,
                },
            },
        };
    }

    private static V1Service Service(V1Alpha1LedgerCluster cluster, string component) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = StandardLabels.Metadata(cluster, ClusterNames.Of(cluster, component), component),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = StandardLabels.Selector(cluster, component),
            Ports = [new V1ServicePort { Name = "grpc", Port = ClusterNames.AppPort, TargetPort = "grpc", AppProtocol = "kubernetes.io/h2c" }],
        },
    };
}
