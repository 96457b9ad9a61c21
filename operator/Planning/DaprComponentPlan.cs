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
        metadata.AddRange(Credentials(kafka));
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
            // Secret references are resolved by the sidecar through the Kubernetes secret store.
            Auth = metadata.Any(m => m.SecretKeyRef is not null) ? new DaprComponentAuth() : null,
        };
    }

    // What each authType needs, in the component's metadata names; the CA applies to every one of them.
    private static IEnumerable<DaprMetadataItem> Credentials(KafkaSpec kafka)
    {
        if (kafka.Tls?.CaCertSecret is { } ca)
        {
            yield return Secret("caCert", ca);
        }

        switch (kafka.AuthType)
        {
            case "password":
                yield return Item("saslUsername", kafka.SaslUsername ?? string.Empty);
                if (kafka.SaslMechanism is { } mechanism)
                {
                    yield return Item("saslMechanism", mechanism);
                }

                if (kafka.SaslPasswordSecret is { } password)
                {
                    yield return Secret("saslPassword", password);
                }

                break;
            case "mtls" when kafka.Tls is { ClientCertSecret: { } certificate, ClientKeySecret: { } key }:
                yield return Secret("clientCert", certificate);
                yield return Secret("clientKey", key);
                break;
            case "oidc" when kafka.Oidc is { } oidc:
                yield return Item("oidcTokenEndpoint", oidc.TokenEndpoint);
                yield return Item("oidcClientID", oidc.ClientId);
                yield return Secret("oidcClientSecret", oidc.ClientSecretSecret);
                if (oidc.Scopes.Count > 0)
                {
                    yield return Item("oidcScopes", string.Join(',', oidc.Scopes));
                }

                break;
        }
    }

    private static DaprMetadataItem Item(string name, string value) => new() { Name = name, Value = value };

    private static DaprMetadataItem Secret(string name, SecretKeyReference reference) =>
        new() { Name = name, SecretKeyRef = new DaprSecretKeyRef { Name = reference.Name, Key = reference.Key } };
}
