using k8s;
using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Crd;

/// <summary>The LedgerCluster CustomResourceDefinition, generated from <see cref="V1Alpha1LedgerCluster"/>.</summary>
public static class LedgerClusterCrd
{
    /// <summary>
    /// The longest LedgerCluster name: the migration Job appends "-migrate-" and ten hex digits, and a Job's
    /// name becomes a label value of its pods, at most 63 characters (the audit CronJob would allow 46).
    /// </summary>
    public const int NameLengthMax = 44;

    /// <summary>What a LedgerCluster's name must look like: a DNS label, as its Services' names are made from it.</summary>
    public const string NamePattern = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>The CRD object.</summary>
    public static V1CustomResourceDefinition Build()
    {
        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = "A payments platform for one ledger: its services, Dapr pub/sub over Kafka and the audit job.",
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["apiVersion"] = new() { Type = "string" },
                ["kind"] = new() { Type = "string" },
                ["metadata"] = new() { Type = "object" },
                ["spec"] = SchemaGenerator.For(typeof(LedgerClusterSpec), withDefaults: true),
                ["status"] = SchemaGenerator.For(typeof(LedgerClusterStatus)),
            },
            Required = ["spec"],
            XKubernetesValidations =
            [
                new V1ValidationRule
                {
                    Rule = $"size(self.metadata.name) <= {NameLengthMax} && self.metadata.name.matches('{NamePattern}')",
                    Message = $"the name must be a DNS label of at most {NameLengthMax} characters: every object the operator creates is named after it",
                },
            ],
        };

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = LedgerClusterApi.Plural + "." + LedgerClusterApi.Group },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = LedgerClusterApi.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = LedgerClusterApi.Kind,
                    ListKind = LedgerClusterApi.Kind + "List",
                    Plural = LedgerClusterApi.Plural,
                    Singular = LedgerClusterApi.Singular,
                    ShortNames = [LedgerClusterApi.ShortName],
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = LedgerClusterApi.Version,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = schema },
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        AdditionalPrinterColumns =
                        [
                            new V1CustomResourceColumnDefinition
                            {
                                Name = "Ready", Type = "string", JsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
                            },
                            new V1CustomResourceColumnDefinition { Name = "Ledger", Type = "string", JsonPath = ".spec.ledgerName" },
                            new V1CustomResourceColumnDefinition { Name = "Age", Type = "date", JsonPath = ".metadata.creationTimestamp" },
                        ],
                    },
                ],
            },
        };
    }

    /// <summary>The CRD as YAML, the form committed under charts/payments-operator/crds/.</summary>
    public static string ToYaml() =>
        "# Generated from the C# types by `Payments.Operator --print-crd`; do not edit by hand.\n"
        + KubernetesYaml.Serialize(Build()).TrimEnd('\n') + "\n";
}
