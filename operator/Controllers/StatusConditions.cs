using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Controllers;

/// <summary>
/// Computes the LedgerCluster's conditions from what the last apply returned. Pure, so every rule is
/// tested directly; <see cref="Merge"/> keeps a condition's transition time while its status holds.
/// </summary>
public static class StatusConditions
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
    public const string AuditScheduled = "AuditScheduled";
    public const string LastAuditSucceeded = "LastAuditSucceeded";

    /// <summary>The five conditions for <paramref name="cluster"/> after applying <paramref name="applied"/>.</summary>
    public static List<LedgerClusterCondition> Compute(
        V1Alpha1LedgerCluster cluster, IReadOnlyList<object> applied, Exception? failure, DateTime now)
    {
        var generation = cluster.Metadata.Generation;
        var unavailable = applied.OfType<V1Deployment>().Where(d => !RolledOut(d)).Select(d => d.Metadata.Name).ToList();
        var migration = applied.OfType<V1Job>().SingleOrDefault();
        var migrating = migration is not null && !JobStatus.Succeeded(migration);
        var migrationFailed = migration is not null && JobStatus.Failed(migration);
        var ready = failure is null && !migrating && unavailable.Count == 0 && applied.OfType<V1Deployment>().Any();
        var stalled = applied.OfType<V1Deployment>().Where(d => !RolledOut(d) && PastProgressDeadline(d)).Select(d => d.Metadata.Name).ToList();
        var degraded = failure is not null || migrationFailed || stalled.Count > 0;
        var (reason, message) = Summary(failure, migration, migrating, migrationFailed, ready, unavailable, stalled);
        var cronJob = applied.OfType<V1CronJob>().SingleOrDefault();
        return
        [
            Condition(Ready, ready, reason, message, generation, now),
            Condition(Progressing, !degraded && !ready, ready ? "RolloutComplete" : degraded || migrating ? reason : "RollingOut",
                ready ? "Nothing is rolling out." : degraded || migrating ? message : "Objects are applied; pods are starting or updating.",
                generation, now),
            Condition(Degraded, degraded, degraded ? reason : "AsExpected",
                failure?.Message ?? (migrationFailed || stalled.Count > 0 ? message : "Every desired object was applied."), generation, now),
            // A round that stopped before the CronJob (a migration running, an earlier apply refused) knows
            // nothing new of the audit: what was reported stands.
            cronJob is null ? Previous(cluster, AuditScheduled) ?? AuditScheduledCondition(cluster, cronJob, generation, now)
                : AuditScheduledCondition(cluster, cronJob, generation, now),
            cronJob is null ? Previous(cluster, LastAuditSucceeded) ?? LastAuditCondition(cluster, cronJob, generation, now)
                : LastAuditCondition(cluster, cronJob, generation, now),
        ];
    }

    // Complete as `kubectl rollout status` has it: the controller has seen this spec, the desired number of
    // replicas run the new template, no old pod is left, and every new one is available. Available
    // replicas alone are not enough: during a surge the old pods keep that count up while the new ones
    // crash-loop.
    private static bool RolledOut(V1Deployment deployment)
    {
        var status = deployment.Status;
        var updated = status?.UpdatedReplicas ?? 0;
        return (status?.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0)
            && updated >= (deployment.Spec?.Replicas ?? 1)
            && (status?.Replicas ?? 0) <= updated
            && (status?.AvailableReplicas ?? 0) >= updated;
    }

    // The Deployment controller gave up waiting for the rollout (its progressDeadlineSeconds, 10 minutes by
    // default): a crash-looping image or an unschedulable pod, which waiting longer will not fix.
    private static bool PastProgressDeadline(V1Deployment deployment) =>
        deployment.Status?.Conditions?.Any(c => c.Type == "Progressing" && c.Status == "False" && c.Reason == "ProgressDeadlineExceeded") == true;

    // What holds the cluster back, most pressing first; Ready, and Progressing or Degraded, report it.
    private static (string Reason, string Message) Summary(Exception? failure, V1Job? migration, bool migrating, bool migrationFailed,
        bool ready, List<string> unavailable, List<string> stalled) =>
        failure is SpecInvalidException ? ("SpecInvalid", "The spec cannot be carried out; nothing was changed.")
        : failure is not null ? ("ApplyFailed", "The desired objects could not all be applied.")
        : migrationFailed ? ("MigrationFailed", $"The schema migration Job {migration!.Metadata.Name} failed; its pod's logs say why. Delete the Job to run it again.")
        : stalled.Count > 0 ? ("RolloutStalled", $"The rollout of {string.Join(", ", stalled)} exceeded its progress deadline; its pods' events and logs say why.")
        : migrating ? ("MigratingSchema", $"Waiting for the schema migration Job {migration!.Metadata.Name}; the services roll out after it.")
        : ready ? ("AllReplicasAvailable", "Every service has all its replicas available.")
        : ("ReplicasUnavailable", $"Waiting for available replicas of {string.Join(", ", unavailable)}.");

    /// <summary>Keeps <c>lastTransitionTime</c> of every condition whose status did not change.</summary>
    public static List<LedgerClusterCondition> Merge(IReadOnlyList<LedgerClusterCondition>? previous, List<LedgerClusterCondition> current)
    {
        foreach (var condition in current)
        {
            if (previous?.FirstOrDefault(p => p.Type == condition.Type) is { } before && before.Status == condition.Status)
            {
                condition.LastTransitionTime = before.LastTransitionTime ?? condition.LastTransitionTime;
            }
        }

        return current;
    }

    private static LedgerClusterCondition AuditScheduledCondition(V1Alpha1LedgerCluster cluster, V1CronJob? cronJob, long? generation, DateTime now) =>
        cronJob is null ? Condition(AuditScheduled, null, "NotApplied", "The audit CronJob was not applied.", generation, now)
        : cluster.Spec.Audit.Suspend ? Condition(AuditScheduled, false, "Suspended", "spec.audit.suspend is true.", generation, now)
        : Condition(AuditScheduled, true, "Scheduled", $"The audit runs on the schedule '{cluster.Spec.Audit.Schedule}'.", generation, now);

    // While a run is in progress its schedule time is newer than any success, which says nothing yet:
    // the verdict on the run before it stands until this one ends.
    private static LedgerClusterCondition LastAuditCondition(V1Alpha1LedgerCluster cluster, V1CronJob? cronJob, long? generation, DateTime now)
    {
        var scheduled = cronJob?.Status?.LastScheduleTime;
        var succeeded = cronJob?.Status?.LastSuccessfulTime;
        var running = cronJob?.Status?.Active is { Count: > 0 } && !(succeeded >= scheduled);
        return running && Previous(cluster, LastAuditSucceeded) is { } verdict ? verdict
            : running ? Condition(LastAuditSucceeded, null, "Running", $"The audit scheduled at {scheduled:O} is running.", generation, now)
            : scheduled is null ? Condition(LastAuditSucceeded, null, "NeverRun", "No audit has run yet.", generation, now)
            : succeeded >= scheduled ? Condition(LastAuditSucceeded, true, "Succeeded", $"The audit scheduled at {scheduled:O} succeeded.", generation, now)
            : Condition(LastAuditSucceeded, false, "NotSucceeded", $"The audit scheduled at {scheduled:O} has not succeeded.", generation, now);
    }

    private static LedgerClusterCondition? Previous(V1Alpha1LedgerCluster cluster, string type) =>
        cluster.Status?.Conditions.FirstOrDefault(c => c.Type == type);

    private static LedgerClusterCondition Condition(string type, bool? status, string reason, string message, long? generation, DateTime now) => new()
    {
        Type = type,
        Status = status switch { true => "True", false => "False", null => "Unknown" },
        Reason = reason,
        Message = message,
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };
}
