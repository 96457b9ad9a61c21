using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>The audit job: verifies the hash chain and reconciles, on the spec's schedule.</summary>
internal static class AuditCronJobPlan
{
    private const string KeyVolume = "audit-key";
    private const string KeyDirectory = "/var/run/secrets/payments-audit";
    private const string KeyFile = "checkpoint-key.pem";
    private const string AnchorVolume = "audit-anchor";
    private const string AnchorDirectory = "/var/lib/payments-audit";

    /// <summary>One run at a time; a run that fails is retried twice, then reported by LastAuditSucceeded.</summary>
    public static V1CronJob CronJob(V1Alpha1LedgerCluster cluster)
    {
        var container = PodTemplates.Container(cluster, ClusterNames.Audit, cluster.Spec.Images.Audit,
            [PodTemplates.FromDatabaseSecret(cluster, "ConnectionStrings__Audit", cluster.Spec.Database.AuditKey)]);
        // Named on the command line, not left to the audit's default ("main"): a run that audits another
        // ledger than the cluster's would report that one's verdict as this cluster's LastAuditSucceeded.
        container.Args = ["--ledger", cluster.Spec.LedgerName];
        var pod = PodTemplates.Pod(container, restartPolicy: "Never");
        if (cluster.Spec.Audit.SigningKeySecret is { } key)
        {
            // The checkpoint key comes from a Secret mounted read-only, never from the database it guards.
            container.Env.Add(new V1EnvVar
            {
                Name = "AUDIT_KEY_FILE", Value = PodTemplates.MountSecretFile(pod, container, KeyVolume, key, KeyDirectory, KeyFile),
            });
        }

        if (cluster.Spec.Audit.AnchorClaim is { } claim)
        {
            // The only volume the audit writes: the anchor outlives the pod, and the database cannot reach it.
            pod.Volumes ??= [];
            pod.Volumes.Add(new V1Volume { Name = AnchorVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } });
            container.VolumeMounts ??= [];
            container.VolumeMounts.Add(new V1VolumeMount { Name = AnchorVolume, MountPath = AnchorDirectory });
            // One claim per cluster, and one ledger per cluster: the file's name needs no part of the spec.
            container.Env.Add(new V1EnvVar { Name = "AUDIT_ANCHOR_FILE", Value = $"{AnchorDirectory}/anchor.json" });
        }

        return new V1CronJob
        {
            ApiVersion = "batch/v1",
            Kind = "CronJob",
            Metadata = StandardLabels.Metadata(cluster, ClusterNames.Of(cluster, ClusterNames.Audit), ClusterNames.Audit),
            Spec = new V1CronJobSpec
            {
                Schedule = cluster.Spec.Audit.Schedule,
                Suspend = cluster.Spec.Audit.Suspend,
                ConcurrencyPolicy = "Forbid",
                SuccessfulJobsHistoryLimit = 3,
                FailedJobsHistoryLimit = 3,
                JobTemplate = new V1JobTemplateSpec { Spec = PodTemplates.RunToCompletion(cluster, ClusterNames.Audit, pod, backoffLimit: 2) },
            },
        };
    }
}
