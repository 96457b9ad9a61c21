using System.Text.Json.Nodes;
using Payments.Operator.Tests.KubernetesApi;
using Payments.Testing;

namespace Payments.Operator.Tests;

/// <summary>
/// A Ready cluster is looked at again on the resync interval: the operator watches only LedgerClusters,
/// so an audit run that fails afterwards reaches the status with no event about the cluster.
/// </summary>
public sealed class ResyncLoopTests : IAsyncLifetime
{
    private const string CronJob = "/apis/batch/v1/namespaces/payments/cronjobs/prod-audit";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RunningOperator running = null!;
    private LoopbackKubernetesApi api = null!;

    public async Task InitializeAsync()
    {
        running = await RunningOperator.StartAsync(SampleClusters.Minimal(), configure: options => options.ResyncSeconds = 1);
        api = running.Api;
    }

    public async Task DisposeAsync() => await running.DisposeAsync();

    [Fact]
    public async Task An_audit_that_fails_after_the_cluster_is_ready_turns_LastAuditSucceeded_false()
    {
        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(CronJob) is not null), Timeout, "the audit CronJob is applied");
        foreach (var deployment in new[] { "prod-payments-api", "prod-ledger", "prod-settlement" })
        {
            var path = "/apis/apps/v1/namespaces/payments/deployments/" + deployment;
            var stored = api.Get(path)!;
            stored["metadata"]!["generation"] = 1;
            stored["status"] = new JsonObject { ["observedGeneration"] = 1, ["availableReplicas"] = 5, ["updatedReplicas"] = 5, ["replicas"] = 5 };
            api.Put(path, stored);
        }

        SetAuditRun(scheduled: "2026-12-04T10:00:00Z", succeeded: "2026-12-04T10:02:00Z");
        await Eventually.WaitUntilAsync(() => Task.FromResult(running.Condition("Ready")?.Status == "True"
            && running.Condition("LastAuditSucceeded")?.Status == "True"), Timeout, "Ready with a passed audit");

        // The next run fails; nothing about the LedgerCluster itself changes, and no event is emitted.
        SetAuditRun(scheduled: "2026-12-04T11:00:00Z", succeeded: "2026-12-04T10:02:00Z");
        await Eventually.WaitUntilAsync(() => Task.FromResult(running.Condition("LastAuditSucceeded") == ("False", "NotSucceeded")),
            Timeout, "the failed run reaches the status");
    }

    private void SetAuditRun(string scheduled, string succeeded)
    {
        var stored = api.Get(CronJob)!;
        stored["status"] = new JsonObject { ["lastScheduleTime"] = scheduled, ["lastSuccessfulTime"] = succeeded };
        api.Put(CronJob, stored);
    }
}
