using k8s;
using Microsoft.Extensions.Options;
using Payments.Operator.Controllers;
using Payments.Operator.Finalizers;

namespace Payments.Operator;

/// <summary>All of the operator's wiring.</summary>
public static class OperatorServices
{
    /// <summary>The Kubernetes client, the controller's parts and the leader election.</summary>
    public static IServiceCollection AddLedgerClusterOperator(this IServiceCollection services)
    {
        services.AddOptions<OperatorOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        services.AddSingleton<IKubernetes>(provider => new Kubernetes(ClientConfiguration(provider.GetRequiredService<IOptions<OperatorOptions>>().Value)));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LedgerClusterClient>();
        services.AddSingleton<ServerSideApply>();
        services.AddSingleton<MigrationJobPruner>();
        services.AddSingleton<LedgerClusterFinalizer>();
        services.AddSingleton<StatusWriter>();
        services.AddSingleton<LedgerClusterReconciler>();
        services.AddSingleton<ReconcileQueue>();
        services.AddSingleton<LedgerClusterWatcher>();
        services.AddSingleton<LedgerClusterController>();
        services.AddSingleton<LeaderElectedOperator>();
        return services;
    }

    private static KubernetesClientConfiguration ClientConfiguration(OperatorOptions options) =>
        options.KubernetesUrl is { Length: > 0 } url ? new KubernetesClientConfiguration { Host = url }
        : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
        : KubernetesClientConfiguration.BuildConfigFromConfigFile();
}
