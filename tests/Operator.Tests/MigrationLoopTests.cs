using System.Text.Json.Nodes;
using Payments.Operator.Controllers;
using Payments.Operator.Tests.KubernetesApi;
using Payments.Testing;

namespace Payments.Operator.Tests;

/// <summary>
/// The operator with a cluster whose schema it migrates (ADR 0046): the services roll out only after the
/// migration Job succeeded, a failed Job holds them back until it is deleted, and the Jobs of earlier
/// images go once the current one has succeeded.
/// </summary>
public sealed class MigrationLoopTests : IAsyncLifetime
{
    private const string Jobs = "/apis/batch/v1/namespaces/payments/jobs";
    private const string EarlierJob = Jobs + "/prod-migrate-earlier";
    private const string OtherClustersJob = Jobs + "/other-migrate-earlier";
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
        Assert.NotNull(api.Get(job));
    }

    [Fact]
    public async Task AFailedMigrationHoldsTheServicesBackUntilItsJobIsDeletedAndRunsAgain()
    {
        var job = await AppliedJobAsync();
        Finish(job, "Failed");

        await WaitForConditionAsync(StatusConditions.Degraded, ("True", "MigrationFailed"));
        Assert.Null(api.Get(LedgerDeployment));
        Assert.NotNull(api.Get(EarlierJob));

        api.Delete(job);
        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(job) is not null), Timeout, "the deleted Job is applied anew");
        Assert.Null(api.Get(job)!["status"]);
        Finish(job, "Complete");

        await Eventually.WaitUntilAsync(() => Task.FromResult(api.Get(LedgerDeployment) is not null), Timeout, "the services are applied");
    }

    // The Job the operator applied for the cluster's images; its name carries their digest.
    private async Task<string> AppliedJobAsync()
    {
        string? path = null;
        await Eventually.WaitUntilAsync(() =>
        {
            path = api.Requests.FirstOrDefault(r => r.Method == "PATCH" && r.Path.StartsWith(Jobs + "/prod-migrate-", StringComparison.Ordinal))?.Path;
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
