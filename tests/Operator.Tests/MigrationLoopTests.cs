using System.Text.Json.Nodes;
using Payments.Operator.Controllers;
using Payments.Operator.Tests.KubernetesApi;
using Payments.Testing;

namespace Payments.Operator.Tests;

/// <summary>
/// The operator with a cluster whose schema it migrates (ADR 0046): the services roll out only after the
/// migration Job succeeded, a failed Job holds them back until it is deleted, and the finished Jobs of
/// earlier pod templates go once the current one has succeeded.
/// </summary>
public sealed class MigrationLoopTests : IAsyncLifetime
{
    private const string Jobs = "/apis/batch/v1/namespaces/payments/jobs";
    private const string EarlierJob = Jobs + "/prod-migrate-earlier";
    private const string OtherClustersJob = Jobs + "/other-migrate-earlier";
    private const string StillRunningJob = Jobs + "/prod-migrate-running";
    private const string LedgerDeployment = "/apis/apps/v1/namespaces/payments/deployments/prod-ledger";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RunningOperator running = null!;
    private LoopbackKubernetesApi api = null!;

    public async Task InitializeAsync()
    {
        var cluster = SampleClusters.WithOperatorMigrations();
        running = await RunningOperator.StartAsync(cluster, loopback =>
        {
            loopback.Put(EarlierJob, FinishedJob("prod-migrate-earlier", "prod", cluster.Metadata.Uid));
            loopback.Put(OtherClustersJob, FinishedJob("other-migrate-earlier", "other", Guid.NewGuid().ToString()));
            var running = FinishedJob("prod-migrate-running", "prod", cluster.Metadata.Uid);
            running["status"] = new JsonObject { ["active"] = 1 };
            loopback.Put(StillRunningJob, running);
        });
        api = running.Api;
    }

    public async Task DisposeAsync() => await running.DisposeAsync();

    [Fact]
    public async Task TheServicesRollOutOnlyAfterTheMigrationSucceededAndThenEarlierJobsGo()
    {
        var job = await AppliedJobAsync();
        await WaitForConditionAsync(StatusConditions.Progressing, ("True", "MigratingSchema"));
        Assert.Null(api.Get(LedgerDeployment));
        Assert.NotNull(api.Get(EarlierJob));

        Finish(job, "Complete");

        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(LedgerDeployment) is not null), Timeout, "the services are applied");
        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(EarlierJob) is null), Timeout, "the earlier migration Job is deleted");
        Assert.NotNull(api.Get(OtherClustersJob));
        Assert.NotNull(api.Get(StillRunningJob));
        Assert.NotNull(api.Get(job));

        // A new pull policy changes the Job's pod template, which the API server would refuse to patch: a new Job.
        var cluster = api.Get(RunningOperator.ClusterPath)!;
        cluster["spec"]!["images"]!["pullPolicy"] = "Always";
        cluster["metadata"]!["generation"] = 2;
        api.Put(RunningOperator.ClusterPath, cluster);
        api.Emit("MODIFIED", RunningOperator.ClusterPath);

        var next = await AppliedJobAsync(except: job);
        await WaitForConditionAsync(StatusConditions.Progressing, ("True", "MigratingSchema"));
        Assert.Equal(("False", "AsExpected"), running.Condition(StatusConditions.Degraded));
        Assert.StartsWith(Jobs + "/prod-migrate-", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnceTheOperatorNoLongerMigratesItsFinishedJobsGo()
    {
        var job = await AppliedJobAsync();
        Finish(job, "Complete");
        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(EarlierJob) is null), Timeout, "the earlier migration Job is deleted");

        // Without the owner Secret the plan has no Job, and nothing else would ever remove the last one.
        var cluster = api.Get(RunningOperator.ClusterPath)!;
        cluster["spec"]!["database"]!.AsObject().Remove("ownerSecret");
        cluster["metadata"]!["generation"] = 2;
        api.Put(RunningOperator.ClusterPath, cluster);
        api.Emit("MODIFIED", RunningOperator.ClusterPath);

        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(job) is null), Timeout, "the last migration Job is deleted");
        Assert.NotNull(api.Get(StillRunningJob));
        Assert.NotNull(api.Get(OtherClustersJob));
    }

    [Fact]
    public async Task AFailedMigrationHoldsTheServicesBackUntilItsJobIsDeletedAndRunsAgain()
    {
        var job = await AppliedJobAsync();
        Finish(job, "Failed");

        await WaitForConditionAsync(StatusConditions.Degraded, ("True", "MigrationFailed"));
        Assert.Null(api.Get(LedgerDeployment));
        Assert.NotNull(api.Get(EarlierJob));

        // The operator looks again every 30 seconds while Degraded; the watch event stands in for that wait.
        api.Delete(job);
        api.Emit("MODIFIED", RunningOperator.ClusterPath);
        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(job) is not null), Timeout, "the deleted Job is applied anew");
        Assert.Null(api.Get(job)!["status"]);
        Finish(job, "Complete");

        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(LedgerDeployment) is not null), Timeout, "the services are applied");
    }

    // The Job the operator applied for the cluster's pod template; its name carries the template's digest.
    private async Task<string> AppliedJobAsync(string? except = null)
    {
        string? path = null;
        await Eventually.WaitUntilAsync(() =>
        {
            path = api.Requests.FirstOrDefault(r => r.Method == "PATCH" && r.Path != except
                && r.Path.StartsWith(Jobs + "/prod-migrate-", StringComparison.Ordinal))?.Path;
            return Task.FromResult(path is not null && api.Get(path) is not null);
        }, Timeout, "the migration Job is applied");
        return path!;
    }

    // What the Job controller would record when the Job's pod has ended; then a watch event wakes the operator.
    private void Finish(string job, string condition)
    {
        var stored = api.Get(job)!;
        stored["status"] = JobStatus(condition);
        api.Put(job, stored);
        api.Emit("MODIFIED", RunningOperator.ClusterPath);
    }

    private Task WaitForConditionAsync(string type, (string, string) expected) =>
        Eventually.WaitUntilAsync(() => Task.FromResult(running.Condition(type) == expected), Timeout, $"{type} is {expected}");

    private static JsonObject FinishedJob(string name, string instance, string ownerUid) => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "payments",
            ["labels"] = new JsonObject { ["app.kubernetes.io/instance"] = instance, ["app.kubernetes.io/component"] = "migrations" },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "payments.example.io/v1alpha1", ["kind"] = "LedgerCluster", ["name"] = instance, ["uid"] = ownerUid,
            }),
        },
        ["status"] = JobStatus("Complete"),
    };

    private static JsonObject JobStatus(string condition) => new()
    {
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = condition, ["status"] = "True" }),
        ["succeeded"] = condition == "Complete" ? 1 : 0,
    };
}
