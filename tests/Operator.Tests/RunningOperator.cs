using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Operator.Controllers;
using Payments.Operator.Entities;
using Payments.Operator.Tests.KubernetesApi;

namespace Payments.Operator.Tests;

/// <summary>The whole operator, as deployed, elected leader against a loopback API server that holds one LedgerCluster.</summary>
internal sealed class RunningOperator : IAsyncDisposable
{
    /// <summary>Where the cluster is stored: namespace payments, name prod.</summary>
    public const string ClusterPath = "/apis/payments.example.io/v1alpha1/namespaces/payments/ledgerclusters/prod";

    private readonly CancellationTokenSource stop = new();
    private ServiceProvider services = null!;
    private Task running = Task.CompletedTask;

    private RunningOperator(LoopbackKubernetesApi api) => Api = api;

    public LoopbackKubernetesApi Api { get; }

    /// <summary>The warnings and errors the operator has logged.</summary>
    public CapturedWarnings Warnings { get; } = new();

    /// <summary>Stores <paramref name="cluster"/>, lets <paramref name="prepare"/> arrange the API server, then starts the operator.</summary>
    public static async Task<RunningOperator> StartAsync(
        V1Alpha1LedgerCluster cluster, Action<LoopbackKubernetesApi>? prepare = null, Action<OperatorOptions>? configure = null)
    {
        var api = await LoopbackKubernetesApi.StartAsync();
        api.Put(ClusterPath, JsonNode.Parse(KubernetesJson.Serialize(cluster))!.AsObject());
        prepare?.Invoke(api);
        var started = new RunningOperator(api);
        started.services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(started.Warnings))
            .Configure<OperatorOptions>(options =>
            {
                options.KubernetesUrl = api.Url;
                options.Namespace = "payments-system";
                options.Identity = "operator-0";
                configure?.Invoke(options);
            })
            .AddLedgerClusterOperator()
            .BuildServiceProvider();
        started.running = started.services.GetRequiredService<LeaderElectedOperator>().RunAsync(started.stop.Token);
        return started;
    }

    /// <summary>The cluster's status as last written, or null.</summary>
    public JsonObject? Status() => Api.Get(ClusterPath)?["status"] as JsonObject;

    /// <summary>The status and reason of the condition <paramref name="type"/>, or null before it is written.</summary>
    public (string Status, string Reason)? Condition(string type) =>
        Status()?["conditions"]?.AsArray().FirstOrDefault(c => c!["type"]!.GetValue<string>() == type) is { } condition
            ? (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>())
            : null;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        await services.DisposeAsync();
        await Api.DisposeAsync();
        stop.Dispose();
    }
}
