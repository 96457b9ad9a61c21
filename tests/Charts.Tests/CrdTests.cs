using k8s;
using k8s.Models;
using Payments.Operator.Crd;
using Payments.Operator.Entities;
using YamlDotNet.RepresentationModel;

namespace Payments.Charts.Tests;

/// <summary>The CRD the chart installs is the one the C# types generate, and the LedgerCluster chart fits it.</summary>
public sealed class CrdTests
{
    private const string CommittedCrd = "charts/payments-operator/crds/ledgerclusters.payments.example.io.yaml";

    [Fact]
    public void TheCommittedCrdEqualsTheOneGeneratedFromTheTypes()
    {
        // On a difference, regenerate: dotnet operator/bin/Release/net10.0/Payments.Operator.dll --print-crd > CommittedCrd
        Assert.Equal(LedgerClusterCrd.ToYaml(), Repository.Read(CommittedCrd).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TheCommittedCrdParsesStrictlyAndServesTheStatusSubresource()
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Repository.Read(CommittedCrd), strict: true);

        Assert.Equal("ledgerclusters.payments.example.io", crd.Metadata.Name);
        var version = Assert.Single(crd.Spec.Versions);
        Assert.True(version.Storage);
        Assert.NotNull(version.Subresources.Status);
        Assert.Equal(["spec"], version.Schema.OpenAPIV3Schema.Required);
        var spec = version.Schema.OpenAPIV3Schema.Properties["spec"];
        Assert.All(spec.Properties.Values, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
    }

    [Fact]
    public void TheSpecsDefaultsAreTheTypesInitialValuesAndStatusHasNone()
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Repository.Read(CommittedCrd), strict: true);
        var root = crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties;
        var spec = root["spec"].Properties;

        Assert.Equal("main", spec["ledgerName"].DefaultProperty?.ToString());
        Assert.Equal("2", spec["replicas"].Properties["ledger"].DefaultProperty?.ToString());
        Assert.Equal("0 * * * *", spec["audit"].Properties["schedule"].DefaultProperty?.ToString());
        Assert.Equal("oldest", spec["kafka"].Properties["initialOffset"].DefaultProperty?.ToString());
        Assert.Null(spec["images"].Properties["ledger"].DefaultProperty);
        Assert.DoesNotContain("default", KubernetesYaml.Serialize(root["status"]), StringComparison.Ordinal);
    }

    [Fact]
    public void TheApiServerRefusesAKafkaAuthTypeWithoutWhatItNeeds()
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Repository.Read(CommittedCrd), strict: true);
        var kafka = crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].Properties["kafka"];

        // The rules the API server evaluates, and the operator's own check of the same, name the same problems.
        var messages = kafka.XKubernetesValidations.Select(v => v.Message).ToList();
        foreach (var authType in new[] { "password", "mtls", "oidc" })
        {
            Assert.Contains(new KafkaSpec { AuthType = authType }.Problems().Single(), messages);
        }

        Assert.Contains("has(self.clientKeySecret)", Assert.Single(kafka.Properties["tls"].XKubernetesValidations).Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("charts/ledger-cluster/values.yaml")]
    [InlineData("charts/ledger-cluster/values-dev.yaml")]
    public void TheLedgerClusterChartsSpecValuesAreFieldsOfTheCrdTypes(string valuesFile)
    {
        // The chart renders .Values.spec verbatim as the spec, so a misspelt key would reach the API server.
        var values = new YamlStream();
        values.Load(new StringReader(Repository.Read(valuesFile)));
        var specYaml = new StringWriter();
        new YamlStream(new YamlDocument(((YamlMappingNode)values.Documents[0].RootNode)["spec"])).Save(specYaml, assignAnchors: false);

        var spec = KubernetesYaml.Deserialize<LedgerClusterSpec>(specYaml.ToString(), strict: true);

        Assert.NotNull(spec);
    }
}
