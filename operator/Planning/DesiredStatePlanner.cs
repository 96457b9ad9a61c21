using k8s;
using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>
/// Turns a LedgerCluster into every object it should own. Pure: no I/O, same input, same output, so it
/// is tested on its own and the controller only applies what it returns.
/// </summary>
public static class DesiredStatePlanner
{
    /// <summary>
    /// The objects, in apply order: configuration first, then the schema migration Job if the spec asks for
    /// one, then the workloads. The controller applies nothing after a Job that has not succeeded yet, so
    /// no service starts on a schema older than its image.
    /// </summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Plan(V1Alpha1LedgerCluster cluster)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            ConfigMapPlan.ConfigMap(cluster),
            DaprComponentPlan.Component(cluster),
        };
        if (MigrationJobPlan.Job(cluster) is { } migrationJob)
        {
            objects.Add(migrationJob);
        }

        objects.AddRange(WorkloadPlan.Deployments(cluster));
        objects.AddRange(WorkloadPlan.Services(cluster));
        objects.Add(DisruptionBudgetPlan.LedgerBudget(cluster));
        objects.Add(AuditCronJobPlan.CronJob(cluster));
        return objects;
    }
}
