using k8s;
using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Controllers;

/// <summary>
/// Server-side apply: PATCH with application/apply-patch+yaml, the operator's field manager, and force,
/// so the operator owns the fields it sets, leaves everyone else's alone, and wins conflicts over its
/// own fields (a kubectl edit of a replica count is put back). The body is JSON, which is YAML.
/// </summary>
public sealed class ServerSideApply(IKubernetes kubernetes)
{
    /// <summary>The field manager recorded in managedFields for everything the operator applies.</summary>
    public const string FieldManager = "payments-operator";

    /// <summary>Applies <paramref name="desired"/> and returns the object as the API server now has it.</summary>
    public async Task<object> ApplyAsync(IKubernetesObject<V1ObjectMeta> desired, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(KubernetesJson.Serialize(desired), V1Patch.PatchType.ApplyPatch);
        var name = desired.Metadata.Name;
        var ns = desired.Metadata.NamespaceProperty;
        return desired switch
        {
            V1ConfigMap => await kubernetes.CoreV1.PatchNamespacedConfigMapAsync(
                patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
            V1Service => await kubernetes.CoreV1.PatchNamespacedServiceAsync(
                patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
            V1Deployment => await kubernetes.AppsV1.PatchNamespacedDeploymentAsync(
                patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
            V1PodDisruptionBudget => await kubernetes.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(
                patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
            V1Job => await kubernetes.BatchV1.PatchNamespacedJobAsync(
                patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
            V1CronJob => await kubernetes.BatchV1.PatchNamespacedCronJobAsync(
                patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
            V1Alpha1DaprComponent => await kubernetes.CustomObjects.PatchNamespacedCustomObjectAsync(
                patch, V1Alpha1DaprComponent.Group, V1Alpha1DaprComponent.Version, ns, V1Alpha1DaprComponent.Plural, name,
                fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
            _ => throw new ArgumentException($"The operator does not apply {desired.Kind} objects.", nameof(desired)),
        };
    }
}
