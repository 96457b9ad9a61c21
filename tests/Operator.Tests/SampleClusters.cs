using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Tests;

/// <summary>LedgerCluster specs that cover the planner's branches.</summary>
public static class SampleClusters
{
    public static V1Alpha1LedgerCluster Minimal(string name = "prod", string ns = "payments") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = "7d9c1c2e-1f0b-4c1e-9a57-0f1d2c3b4a59", Generation = 1 },
        Spec = new LedgerClusterSpec
        {
            Images = new ImagesSpec
            {
                PaymentsApi = "registry.local/payments-api:1.0.0",
                Ledger = "registry.local/ledger:1.0.0",
                Settlement = "registry.local/settlement:1.0.0",
                Audit = "registry.local/audit:1.0.0",
            },
            Database = new DatabaseSpec { SecretName = "prod-database" },
            Kafka = new KafkaSpec { Brokers = ["kafka-0.kafka:9092"] },
            Authentication = new AuthenticationSpec
            {
                Issuer = "https://login.example.com", JwksSecret = new SecretKeyReference { Name = "token-issuer", Key = "jwks.json" },
            },
        },
    };

    public static V1Alpha1LedgerCluster WithSaslAndSuspendedAudit()
    {
        var cluster = Minimal("eu", "payments-eu");
        cluster.Spec.LedgerName = "eur-book";
        cluster.Spec.Kafka = new KafkaSpec
        {
            Brokers = ["kafka-0:9093", "kafka-1:9093", "kafka-2:9093"],
            AuthType = "password",
            SaslUsername = "payments",
            SaslPasswordSecret = new SecretKeyReference { Name = "kafka-credentials", Key = "password" },
            ConsumerGroup = "payments-eu",
            InitialOffset = "newest",
        };
        cluster.Spec.Audit = new AuditSpec { Schedule = "*/15 * * * *", Suspend = true };
        cluster.Spec.Replicas = new ReplicasSpec { PaymentsApi = 4, Ledger = 3, Settlement = 2 };
        return cluster;
    }

    public static V1Alpha1LedgerCluster WithNightlyAudit()
    {
        var cluster = Minimal("nightly", "payments");
        cluster.Spec.Audit = new AuditSpec { Schedule = "30 2 * * *" };
        cluster.Spec.Images.PullPolicy = "Always";
        return cluster;
    }

    /// <summary>A cluster whose schema the operator migrates, from an owner Secret of its own.</summary>
    public static V1Alpha1LedgerCluster WithOperatorMigrations()
    {
        var cluster = Minimal();
        cluster.Spec.Database.OwnerSecret = new SecretKeyReference { Name = "prod-database-owner", Key = "owner" };
        return cluster;
    }

    public static TheoryData<string> Names => ["minimal", "sasl", "nightly"];

    public static V1Alpha1LedgerCluster ByName(string name) => name switch
    {
        "minimal" => Minimal(),
        "sasl" => WithSaslAndSuspendedAudit(),
        "nightly" => WithNightlyAudit(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
