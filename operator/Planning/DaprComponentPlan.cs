using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>The Dapr pub/sub component that puts the event bus on Kafka.</summary>
internal static class DaprComponentPlan
{
    /// <summary>
    /// Each service consumes as its own group, so the Ledger's replicas share one group and Kafka gives the
    /// ledger's partition to one of them at a time. Dapr expands <c>{namespace}</c> to
    /// <c>&lt;namespace&gt;.&lt;app id&gt;</c>: app ids are unique only within a namespace, and two clusters
    /// of one name in two namespaces on one broker would otherwise share a group, each taking the other's
    /// intents and dropping them as another ledger's.
    /// </summary>
    public const string ConsumerGroupPerApp = "{namespace}";

    /// <summary>A pubsub.kafka component scoped to the cluster's three services.</summary>
    public static V1Alpha1DaprComponent Component(V1Alpha1LedgerCluster cluster)
    {
        var kafka = cluster.Spec.Kafka;
        var metadata = new List<DaprMetadataItem>
        {
            Item("brokers", string.Join(',', kafka.Brokers)),
            Item("consumerGroup", kafka.ConsumerGroup ?? ConsumerGroupPerApp),
            Item("clientID", cluster.Metadata.Name),
            Item("authType", kafka.AuthType),
            Item("initialOffset", kafka.InitialOffset),
        };
        if (kafka.AuthType == "password")
        {
            metadata.Add(Item("saslUsername", kafka.SaslUsername ?? string.Empty));
            if (kafka.SaslPasswordSecret is { } password)
            {
                metadata.Add(new DaprMetadataItem
                {
                    Name = "saslPassword", SecretKeyRef = new DaprSecretKeyRef { Name = password.Name, Key = password.Key },
                });
            }
        }

        return new V1Alpha1DaprComponent
        {
            Metadata = StandardLabels.Metadata(cluster, ClusterNames.PubSub(cluster), "pubsub"),
            Spec = new DaprComponentSpec { Type = "pubsub.kafka", Version = "v1", Metadata = metadata },
            Scopes =
            [
                ClusterNames.Of(cluster, ClusterNames.PaymentsApi),
                ClusterNames.Of(cluster, ClusterNames.Ledger),
                ClusterNames.Of(cluster, ClusterNames.Settlement),
            ],
            Auth = kafka.SaslPasswordSecret is null ? null : new DaprComponentAuth(),
        };
    }

    private static DaprMetadataItem Item(string name, string value) => new() { Name = name, Value = value };
}
