using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>Keeps a ledger pod through voluntary disruptions (node drains), so a writer or standby is always there.</summary>
internal static class DisruptionBudgetPlan
{
    public static V1PodDisruptionBudget LedgerBudget(V1Alpha1LedgerCluster cluster) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = StandardLabels.Metadata(cluster, ClusterNames.Of(cluster, ClusterNames.Ledger), ClusterNames.Ledger),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = 1,
            Selector = new V1LabelSelector { MatchLabels = StandardLabels.Selector(cluster, ClusterNames.Ledger) },
        },
    };
}
