using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>
/// The schema migrations as a Job (ADR 0046): the ledger's, then Settlement's, then the audit's, each from
/// its own image and as the owner role. The services never hold the owner's credentials; only this Job
/// reads them. Every migration is recorded and runs under a lock, so running them again changes nothing.
/// </summary>
internal static class MigrationJobPlan
{
    /// <summary>The Job, or null when the spec names no owner Secret and migrations stay a manual step.</summary>
    public static V1Job? Job(V1Alpha1LedgerCluster cluster)
    {
        if (cluster.Spec.Database.OwnerSecret is not { } owner)
        {
            return null;
        }

        // A Job's pods run their init containers in order and the main container last: that is the
        // migration order, as the audit's grants name the ledger's tables.
        var ledger = Step(cluster, "migrate-ledger", cluster.Spec.Images.Ledger, "ConnectionStrings__LedgerOwner", owner);
        var settlement = Step(cluster, "migrate-settlement", cluster.Spec.Images.Settlement, "ConnectionStrings__SettlementOwner", owner);
        var audit = Step(cluster, "migrate-audit", cluster.Spec.Images.Audit, "ConnectionStrings__LedgerOwner", owner);
        var pod = PodTemplates.Pod(audit, restartPolicy: "Never");
        pod.InitContainers = [ledger, settlement];

        var spec = PodTemplates.RunToCompletion(cluster, ClusterNames.Migrations, pod, backoffLimit: 3);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = StandardLabels.Metadata(cluster, ClusterNames.MigrationJob(cluster, Digest(spec.Template)), ClusterNames.Migrations),
            Spec = spec,
        };
    }

    private static V1Container Step(V1Alpha1LedgerCluster cluster, string name, string image, string variable, SecretKeyReference owner)
    {
        var container = PodTemplates.Container(cluster, name, image,
        [
            new V1EnvVar
            {
                Name = variable,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = owner.Name, Key = owner.Key } },
            },
        ]);
        container.Args = ["migrate"];
        return container;
    }

    // The whole pod template, as the API server would compare it: any change to it needs a new Job. The
    // owner Secret is in it by reference, so a password rotated in place runs nothing again.
    private static string Digest(V1PodTemplateSpec template) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template))))[..10];
}
