using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;
using Payments.Operator.Entities;
using Payments.Operator.Finalizers;
using Payments.Operator.Planning;

namespace Payments.Operator.Controllers;

/// <summary>Brings one LedgerCluster's objects to the desired state and reports how that went.</summary>
public sealed class LedgerClusterReconciler(
    LedgerClusterClient clusters, LedgerClusterFinalizer finalizer, ServerSideApply apply, MigrationJobPruner pruner,
    StatusWriter status, TimeProvider clock, IOptions<OperatorOptions> options, ILogger<LedgerClusterReconciler> logger)
{
    /// <summary>Reconciles the cluster <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public async Task<ReconcileOutcome> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        // Read fresh: the watch event that queued this key may be stale by now.
        if (await clusters.GetAsync(ns, name, cancellationToken) is not { } cluster)
        {
            return ReconcileOutcome.Done;
        }

        // Being deleted: clean up in order, then let it go.
        if (cluster.Metadata.DeletionTimestamp is not null)
        {
            await finalizer.FinalizeAsync(cluster, cancellationToken);
            return ReconcileOutcome.Done;
        }

        // The finalizer goes on before anything is created, so no deletion can skip the clean-up.
        cluster = await finalizer.EnsureAsync(cluster, cancellationToken);

        // A spec the operator cannot carry out changes nothing and is reported as Degraded; only a new
        // spec can fix it, and its watch event reconciles again.
        if (SpecInvalidException.Of(cluster.Spec) is { } invalid)
        {
            logger.LogWarning("LedgerCluster {Namespace}/{Name} is invalid: {Problems}", ns, name, invalid.Message);
            return await ReportInvalidAsync(cluster, invalid, cancellationToken);
        }

        // Apply every desired object in order. The first refusal stops the round and is reported as
        // Degraded; a migration Job that has not succeeded stops it too, before the workloads.
        var (applied, failure) = await ApplyAllAsync(cluster, cancellationToken);
        var migration = applied.OfType<V1Job>().SingleOrDefault();
        if (failure is null && (migration is null ? cluster.Spec.Database.OwnerSecret is null : JobStatus.Succeeded(migration)))
        {
            await PruneAsync(cluster, migration, cancellationToken);
        }

        // Report through the status subresource, conflicts retried inside.
        var conditions = StatusConditions.Compute(cluster, applied, failure, clock.GetUtcNow().UtcDateTime);
        var written = await status.WriteAsync(cluster, conditions, cancellationToken);
        return !written || failure is not null ? ReconcileOutcome.Failure
            : IsTrue(conditions, StatusConditions.Degraded) ? ReconcileOutcome.Blocked
            : IsTrue(conditions, StatusConditions.Ready) ? ReconcileOutcome.Settled(TimeSpan.FromSeconds(options.Value.ResyncSeconds))
            : ReconcileOutcome.Progressing;
    }

    // A spec stored before the CRD's rules may fail them on every write, the status subresource's too on
    // API servers that do not ratchet validation (422): the warning above is then all that reports it.
    // Either way only a new spec can help, and its watch event reconciles again.
    private async Task<ReconcileOutcome> ReportInvalidAsync(V1Alpha1LedgerCluster cluster, SpecInvalidException invalid, CancellationToken cancellationToken)
    {
        try
        {
            var written = await status.WriteAsync(cluster, StatusConditions.Compute(cluster, [], invalid, clock.GetUtcNow().UtcDateTime), cancellationToken);
            return written ? ReconcileOutcome.Done : ReconcileOutcome.Failure;
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity)
        {
            logger.LogWarning("The status of invalid LedgerCluster {Name} was refused: {Body}", cluster.Metadata.Name, exception.Response.Content);
            return ReconcileOutcome.Blocked;
        }
    }

    // Best effort: Jobs of earlier templates left behind cost a little space, never the rollout.
    private async Task PruneAsync(V1Alpha1LedgerCluster cluster, V1Job? current, CancellationToken cancellationToken)
    {
        try
        {
            await pruner.PruneEarlierAsync(cluster, current, cancellationToken);
        }
        catch (HttpOperationException exception)
        {
            logger.LogWarning("Removing earlier migration Jobs of {Cluster} failed: {Status} {Body}", cluster.Metadata.Name,
                exception.Response.StatusCode, exception.Response.Content);
        }
    }

    private static bool IsTrue(List<LedgerClusterCondition> conditions, string type) =>
        conditions.Single(c => c.Type == type).Status == "True";

    private async Task<(List<object> Applied, Exception? Failure)> ApplyAllAsync(
        V1Alpha1LedgerCluster cluster, CancellationToken cancellationToken)
    {
        var applied = new List<object>();
        foreach (var desired in DesiredStatePlanner.Plan(cluster))
        {
            try
            {
                var result = await apply.ApplyAsync(desired, cancellationToken);
                applied.Add(result);
                if (result is V1Job migration && !JobStatus.Succeeded(migration))
                {
                    // Nothing after the migration Job is applied before it succeeded: no service may start
                    // on a schema older than its image. The services of the earlier images keep running.
                    return (applied, null);
                }
            }
            catch (HttpOperationException exception)
            {
                logger.LogWarning("Applying {Kind} {Name} failed: {Status} {Body}", desired.Kind, desired.Metadata.Name,
                    exception.Response.StatusCode, exception.Response.Content);
                return (applied, exception);
            }
        }

        return (applied, null);
    }
}
