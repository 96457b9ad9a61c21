using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>The settings every service shares, as environment variables.</summary>
internal static class ConfigMapPlan
{
    public static V1ConfigMap ConfigMap(V1Alpha1LedgerCluster cluster)
    {
        var data = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://+:{ClusterNames.AppPort}",
            ["EventBus__Transport"] = "dapr",
            ["EventBus__Dapr__PubSubName"] = ClusterNames.PubSub(cluster),
            ["Ledger__Name"] = cluster.Spec.LedgerName,
            ["Payments__Ledger"] = cluster.Spec.LedgerName,
            ["Settlement__Ledger"] = cluster.Spec.LedgerName,
            ["Authentication__Issuer"] = cluster.Spec.Authentication.Issuer,
            ["Authentication__Audience"] = cluster.Spec.Authentication.Audience,
            ["Authentication__JwksPath"] = WorkloadPlan.JwksPath,
        };
        foreach (var account in cluster.Spec.Settlement.Accounts)
        {
            data["Settlement__Accounts__" + account.Currency] = account.AccountId;
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = StandardLabels.Metadata(cluster, ClusterNames.Config(cluster), "config"),
            Data = data,
        };
    }
}
