using System.Text.Json.Nodes;
using Payments.Operator.Tests.KubernetesApi;
using Payments.Testing;

namespace Payments.Operator.Tests;

/// <summary>
/// The whole operator (leader election, list and watch, reconcile, apply, status) against the loopback
/// API server, over real HTTP, with the failures a real API server produces: a watch that expired (410)
/// and a status write that lost a race (409).
/// </summary>
public sealed class ControllerLoopTests : IAsyncLifetime
{
    private const string ClusterPath = RunningOperator.ClusterPath;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RunningOperator running = null!;
    private LoopbackKubernetesApi api = null!;

    public async Task InitializeAsync()
    {
        running = await RunningOperator.StartAsync(SampleClusters.Minimal(), loopback =>
        {
            loopback.ExpireNextWatches(1);
            loopback.ConflictNextStatusWrites(1);
        });
        api = running.Api;
    }

    public async Task DisposeAsync() => await running.DisposeAsync();

    [Fact]
    public async Task TheLeaderAppliesEveryObjectWritesStatusThroughA409AndRelistsAfterA410()
    {
        await Eventually.WaitUntilAsync(() => Task.FromResult(Status()?["observedGeneration"]?.GetValue<long>() == 1),
            Timeout, "the status is written for generation 1");

        var lease = api.Get("/apis/coordination.k8s.io/v1/namespaces/payments-system/leases/payments-operator");
        Assert.Equal("operator-0", lease?["spec"]?["holderIdentity"]?.GetValue<string>());
        foreach (var path in OwnedPaths)
        {
            Assert.NotNull(api.Get(path));
        }

        var applies = api.Requests.Where(r => r.Method == "PATCH" && r.ContentType?.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(OwnedPaths.Order(), applies.Select(r => r.Path).Distinct().Order());
        Assert.All(applies, r => Assert.Contains("fieldManager=payments-operator", r.Query, StringComparison.Ordinal));
        Assert.All(applies, r => Assert.Contains("force=true", r.Query, StringComparison.Ordinal));

        Assert.Contains("payments.example.io/finalizer", api.Get(ClusterPath)!["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        var statusWrites = api.Requests.Where(r => r.Method == "PUT" && r.Path == ClusterPath + "/status").ToList();
        Assert.True(statusWrites.Count >= 2, "the 409 was followed by a re-read and a second write");
        var conditions = Status()!["conditions"]!.AsArray().ToDictionary(c => c!["type"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string>
        {
            ["Ready"] = "False", ["Progressing"] = "True", ["Degraded"] = "False", ["AuditScheduled"] = "True", ["LastAuditSucceeded"] = "Unknown",
        }, conditions);

        var lists = api.Requests.Count(r => r.Method == "GET" && r.Path == LoopbackKubernetesApi.LedgerClusters && !r.Query.Contains("watch=true", StringComparison.Ordinal));
        Assert.True(lists >= 2, "the expired watch made the operator list again");
    }

    [Fact]
    public async Task ASpecChangeSeenByTheWatchIsAppliedAndAvailableReplicasMakeItReady()
    {
        await Eventually.WaitUntilAsync(() => Task.FromResult(Status()?["observedGeneration"]?.GetValue<long>() == 1),
            Timeout, "the status is written for generation 1");
        foreach (var deployment in OwnedPaths.Where(p => p.Contains("/deployments/", StringComparison.Ordinal)))
        {
            var stored = api.Get(deployment)!;
            stored["metadata"]!["generation"] = 1;
            stored["status"] = new JsonObject { ["observedGeneration"] = 1, ["availableReplicas"] = 5, ["updatedReplicas"] = 5, ["replicas"] = 5 };
            api.Put(deployment, stored);
        }

        var cluster = api.Get(ClusterPath)!;
        cluster["spec"]!["replicas"]!["paymentsApi"] = 5;
        cluster["metadata"]!["generation"] = 2;
        api.Put(ClusterPath, cluster);
        api.Emit("MODIFIED", ClusterPath);

        await Eventually.WaitUntilAsync(() => Task.FromResult(Status()?["observedGeneration"]?.GetValue<long>() == 2),
            Timeout, "the status is written for generation 2");
        Assert.Equal(5, api.Get("/apis/apps/v1/namespaces/payments/deployments/prod-payments-api")!["spec"]!["replicas"]!.GetValue<int>());
        var ready = Status()!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
        Assert.Equal("True", ready["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AKafkaSpecTheOperatorCannotCarryOutChangesNothingUntilItIsFixed()
    {
        await Eventually.WaitUntilAsync(() => Task.FromResult(Status()?["observedGeneration"]?.GetValue<long>() == 1),
            Timeout, "the status is written for generation 1");
        const string PubSub = "/apis/dapr.io/v1alpha1/namespaces/payments/components/prod-pubsub";

        // mTLS without the client certificate: a sidecar with it could not reach Kafka at all.
        Update(2, kafka => kafka["authType"] = "mtls");
        await Eventually.WaitUntilAsync(() => Task.FromResult(Status()?["observedGeneration"]?.GetValue<long>() == 2),
            Timeout, "the status is written for generation 2");
        var degraded = Status()!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Degraded")!;
        Assert.Equal(("True", "SpecInvalid"), (degraded["status"]!.GetValue<string>(), degraded["reason"]!.GetValue<string>()));
        Assert.Contains("authType mtls needs tls.caCertSecret, tls.clientCertSecret and tls.clientKeySecret", degraded["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("none", Metadata(PubSub)["authType"]);

        Update(3, kafka => kafka["tls"] = JsonNode.Parse("""
            {"caCertSecret": {"name": "kafka-ca", "key": "ca.crt"},
             "clientCertSecret": {"name": "kafka-client", "key": "tls.crt"}, "clientKeySecret": {"name": "kafka-client", "key": "tls.key"}}
            """));
        await Eventually.WaitUntilAsync(() => Task.FromResult(Status()?["observedGeneration"]?.GetValue<long>() == 3),
            Timeout, "the status is written for generation 3");
        Assert.Equal("mtls", Metadata(PubSub)["authType"]);
        Assert.Equal("kafka-client", Metadata(PubSub)["clientKey"]);
    }

    private void Update(long generation, Action<JsonObject> changeKafka)
    {
        var cluster = api.Get(ClusterPath)!;
        changeKafka(cluster["spec"]!["kafka"]!.AsObject());
        cluster["metadata"]!["generation"] = generation;
        api.Put(ClusterPath, cluster);
        api.Emit("MODIFIED", ClusterPath);
    }

    // Each metadata item's value, or the Secret it refers to.
    private Dictionary<string, string> Metadata(string component) => api.Get(component)!["spec"]!["metadata"]!.AsArray().ToDictionary(
        m => m!["name"]!.GetValue<string>(), m => (m!["value"] ?? m["secretKeyRef"]!["name"])!.GetValue<string>());

    [Fact]
    public async Task DeletingTheClusterRunsTheFinalizerAndReleasesIt()
    {
        await Eventually.WaitUntilAsync(() => Task.FromResult(Status()?["observedGeneration"]?.GetValue<long>() == 1),
            Timeout, "the status is written for generation 1");
        var cluster = api.Get(ClusterPath)!;
        cluster["metadata"]!["deletionTimestamp"] = "2026-11-24T10:00:00Z";
        api.Put(ClusterPath, cluster);
        api.Emit("MODIFIED", ClusterPath);

        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(ClusterPath) is null), Timeout, "the cluster is released and gone");
        Assert.Null(api.Get("/apis/batch/v1/namespaces/payments/cronjobs/prod-audit"));
        Assert.Null(api.Get("/apis/dapr.io/v1alpha1/namespaces/payments/components/prod-pubsub"));
    }

    private static string[] OwnedPaths =>
    [
        "/api/v1/namespaces/payments/configmaps/prod-config",
        "/apis/dapr.io/v1alpha1/namespaces/payments/components/prod-pubsub",
        "/apis/apps/v1/namespaces/payments/deployments/prod-payments-api",
        "/apis/apps/v1/namespaces/payments/deployments/prod-ledger",
        "/apis/apps/v1/namespaces/payments/deployments/prod-settlement",
        "/api/v1/namespaces/payments/services/prod-payments-api",
        "/api/v1/namespaces/payments/services/prod-ledger",
        "/apis/policy/v1/namespaces/payments/poddisruptionbudgets/prod-ledger",
        "/apis/batch/v1/namespaces/payments/cronjobs/prod-audit",
    ];

    private JsonObject? Status() => running.Status();
}
