using k8s;
using k8s.Models;
using Payments.Operator.Entities;
using Payments.Operator.Planning;

namespace Payments.Operator.Tests;

/// <summary>
/// The planner's objects, serialized to YAML and parsed back strictly into the typed models (an unknown
/// or misspelt field fails), as the API server's schema validation would.
/// </summary>
internal static class PlannedObjects
{
    public static readonly Dictionary<string, Type> TypeMap = new()
    {
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Service"] = typeof(V1Service),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["batch/v1/CronJob"] = typeof(V1CronJob),
        ["batch/v1/Job"] = typeof(V1Job),
        ["policy/v1/PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["dapr.io/v1alpha1/Component"] = typeof(V1Alpha1DaprComponent),
    };

    public static List<IKubernetesObject<V1ObjectMeta>> ParseStrictly(V1Alpha1LedgerCluster cluster)
    {
        var yaml = KubernetesYaml.SerializeAll(DesiredStatePlanner.Plan(cluster));
        return KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
    }
}
