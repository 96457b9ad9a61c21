using System.Text.Json.Nodes;
using Json.Schema;

namespace Payments.Charts.Tests;

/// <summary>
/// Each chart's values.yaml (and the dev profile's overrides, merged as Helm merges them) validates
/// against its values.schema.json, which Helm enforces at install; and the schema does refuse bad values.
/// </summary>
public sealed class ChartValuesSchemaTests
{
    [Theory]
    [InlineData("charts/payments-operator", null)]
    [InlineData("charts/ledger-cluster", null)]
    [InlineData("charts/ledger-cluster", "charts/ledger-cluster/values-dev.yaml")]
    public void DefaultValuesValidateAgainstTheChartSchema(string chart, string? overrides)
    {
        var values = Values(chart);
        if (overrides is not null)
        {
            Merge(values, YamlToJson.Convert(Repository.Read(overrides))!.AsObject());
        }

        var result = Schema(chart).Evaluate(values, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("charts/payments-operator", "replicaCount", "\"two\"")]
    [InlineData("charts/payments-operator", "image.pullPolicy", "\"Sometimes\"")]
    [InlineData("charts/payments-operator", "unknownSetting", "1")]
    [InlineData("charts/payments-operator", "resyncSeconds", "0")]
    [InlineData("charts/ledger-cluster", "spec.replicas.ledger", "1")]
    [InlineData("charts/ledger-cluster", "spec.kafka.brokers", "[]")]
    [InlineData("charts/ledger-cluster", "spec.kafka.authType", "\"kerberos\"")]
    [InlineData("charts/ledger-cluster", "spec.kafka.authType", "\"password\"")]
    [InlineData("charts/ledger-cluster", "spec.kafka.authType", "\"mtls\"")]
    [InlineData("charts/ledger-cluster", "spec.kafka.authType", "\"oidc\"")]
    [InlineData("charts/ledger-cluster", "spec.kafka.tls", "{\"caCertSecret\": {\"name\": \"kafka-ca\", \"key\": \"ca.crt\"}}")]
    [InlineData("charts/ledger-cluster", "spec.kafka.oidc",
        "{\"tokenEndpoint\": \"http://login.example.com/token\", \"clientId\": \"payments\", \"clientSecretSecret\": {\"name\": \"s\", \"key\": \"k\"}}")]
    [InlineData("charts/ledger-cluster", "spec.audit.anchorClaim", "\"audit-anchor\"")]
    [InlineData("charts/ledger-cluster", "spec.images.ledgr", "\"ledger:1\"")]
    [InlineData("charts/ledger-cluster", "spec.database.ownerSecret", "{\"name\": \"payments-database-owner\"}")]
    public void TheSchemaRefusesAWrongValue(string chart, string path, string json)
    {
        var values = Values(chart);
        Set(values, path, JsonNode.Parse(json));

        Assert.False(Schema(chart).Evaluate(values).IsValid, $"{path} = {json} should be refused");
    }

    [Theory]
    [InlineData("""{"authType": "password", "saslUsername": "payments", "saslPasswordSecret": {"name": "kafka", "key": "password"}, "saslMechanism": "SHA-256"}""")]
    [InlineData("""{"authType": "mtls", "tls": {"caCertSecret": {"name": "kafka-ca", "key": "ca.crt"}, "clientCertSecret": {"name": "kafka-client", "key": "tls.crt"}, "clientKeySecret": {"name": "kafka-client", "key": "tls.key"}}}""")]
    [InlineData("""{"authType": "password", "saslUsername": "payments", "saslPasswordSecret": {"name": "kafka", "key": "password"}, "tls": {"clientCertSecret": {"name": "kafka-client", "key": "tls.crt"}}}""", false)]
    [InlineData("""{"authType": "mtls", "tls": {"clientCertSecret": {"name": "kafka-client", "key": "tls.crt"}, "clientKeySecret": {"name": "kafka-client", "key": "tls.key"}}}""", false)]
    [InlineData("""{"authType": "oidc", "oidc": {"tokenEndpoint": "https://login.example.com/token", "clientId": "payments", "clientSecretSecret": {"name": "kafka-oidc", "key": "secret"}, "scopes": ["kafka"]}}""")]
    public void EachKafkaAuthTypeValidatesOnlyWithWhatItNeeds(string kafka, bool valid = true)
    {
        var values = Values("charts/ledger-cluster");
        Merge(values["spec"]!["kafka"]!.AsObject(), JsonNode.Parse(kafka)!.AsObject());

        var result = Schema("charts/ledger-cluster").Evaluate(values, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid == valid, valid ? Describe(result) : $"{kafka} should be refused");
    }

    private static JsonObject Values(string chart) => YamlToJson.Convert(Repository.Read($"{chart}/values.yaml"))!.AsObject();

    private static JsonSchema Schema(string chart) => JsonSchema.FromText(Repository.Read($"{chart}/values.schema.json"));

    private static void Set(JsonObject values, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var target = values;
        foreach (var part in parts[..^1])
        {
            target = target[part]!.AsObject();
        }

        target[parts[^1]] = value;
    }

    // Helm's merge of a values file over the defaults: maps merge, everything else replaces.
    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (name, value) in overrides.ToList())
        {
            if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static string Describe(EvaluationResults result) => string.Join("\n",
        (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
