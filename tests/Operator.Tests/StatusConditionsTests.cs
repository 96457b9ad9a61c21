using k8s.Models;
using Payments.Operator.Controllers;
using Payments.Operator.Entities;

namespace Payments.Operator.Tests;

public sealed class StatusConditionsTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AFailedApplyIsDegradedAndNotReady()
    {
        var conditions = Compute([], new InvalidOperationException("refused"));

        Assert.Equal(("False", "ApplyFailed"), conditions[StatusConditions.Ready]);
        Assert.Equal(("True", "ApplyFailed"), conditions[StatusConditions.Degraded]);
        Assert.Equal(("False", "ApplyFailed"), conditions[StatusConditions.Progressing]);
    }

    [Fact]
    public void ADeploymentShortOfReplicasIsProgressingUntilAllAreAvailable()
    {
        Assert.Equal(("True", "RollingOut"), Compute([Deployment(2, 1)], null)[StatusConditions.Progressing]);
        Assert.Equal(("True", "AllReplicasAvailable"), Compute([Deployment(2, 2)], null)[StatusConditions.Ready]);
        Assert.Equal(("False", "RolloutComplete"), Compute([Deployment(2, 2)], null)[StatusConditions.Progressing]);
    }

    [Fact]
    public void ARolloutWhoseNewPodsAreNotAvailableIsNotReadyThoughTheOldOnesStillServe()
    {
        // Surging one new pod over two old ones: two available, none of them on the new template.
        Assert.Equal(("False", "ReplicasUnavailable"), Compute([Deployment(2, 2, updated: 0, pods: 3)], null)[StatusConditions.Ready]);
        Assert.Equal(("True", "RollingOut"), Compute([Deployment(2, 2, updated: 0, pods: 3)], null)[StatusConditions.Progressing]);
        // Both new pods up, one old still terminating: not yet complete either.
        Assert.Equal(("False", "ReplicasUnavailable"), Compute([Deployment(2, 2, updated: 2, pods: 3)], null)[StatusConditions.Ready]);
        Assert.Equal(("True", "AllReplicasAvailable"), Compute([Deployment(2, 2, updated: 2, pods: 2)], null)[StatusConditions.Ready]);
    }

    [Fact]
    public void TheLastAuditIsJudgedByItsLastScheduleAndLastSuccess()
    {
        var scheduled = Now.AddHours(-1);
        Assert.Equal(("Unknown", "NeverRun"), Compute([CronJob(null, null)], null)[StatusConditions.LastAuditSucceeded]);
        Assert.Equal(("True", "Succeeded"), Compute([CronJob(scheduled, scheduled.AddMinutes(2))], null)[StatusConditions.LastAuditSucceeded]);
        Assert.Equal(("False", "NotSucceeded"), Compute([CronJob(scheduled, scheduled.AddHours(-1))], null)[StatusConditions.LastAuditSucceeded]);
        Assert.Equal(("True", "Scheduled"), Compute([CronJob(null, null)], null)[StatusConditions.AuditScheduled]);
    }

    [Fact]
    public void ARunningMigrationIsProgressingAndNotReady()
    {
        var conditions = Compute([MigrationJob(null)], null);

        Assert.Equal(("False", "MigratingSchema"), conditions[StatusConditions.Ready]);
        Assert.Equal(("True", "MigratingSchema"), conditions[StatusConditions.Progressing]);
        Assert.Equal(("False", "AsExpected"), conditions[StatusConditions.Degraded]);
    }

    [Fact]
    public void AFailedMigrationIsDegradedAndNoLongerProgressing()
    {
        var conditions = Compute([MigrationJob("Failed")], null);

        Assert.Equal(("False", "MigrationFailed"), conditions[StatusConditions.Ready]);
        Assert.Equal(("False", "MigrationFailed"), conditions[StatusConditions.Progressing]);
        Assert.Equal(("True", "MigrationFailed"), conditions[StatusConditions.Degraded]);
    }

    [Fact]
    public void AfterASucceededMigrationTheDeploymentsDecide()
    {
        Assert.Equal(("True", "AllReplicasAvailable"), Compute([MigrationJob("Complete"), Deployment(2, 2)], null)[StatusConditions.Ready]);
        Assert.Equal(("True", "RollingOut"), Compute([MigrationJob("Complete"), Deployment(2, 1)], null)[StatusConditions.Progressing]);
    }

    [Fact]
    public void ARolloutPastItsProgressDeadlineIsDegradedNotProgressingForever()
    {
        var stalled = Deployment(2, 2, updated: 1, pods: 3);
        stalled.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded" }];

        var conditions = Compute([stalled], null);

        Assert.Equal(("True", "RolloutStalled"), conditions[StatusConditions.Degraded]);
        Assert.Equal(("False", "RolloutStalled"), conditions[StatusConditions.Progressing]);
        Assert.Equal(("False", "RolloutStalled"), conditions[StatusConditions.Ready]);
        // The same condition left over on a Deployment that has since rolled out says nothing.
        var recovered = Deployment(2, 2);
        recovered.Status.Conditions = stalled.Status.Conditions;
        Assert.Equal(("False", "AsExpected"), Compute([recovered], null)[StatusConditions.Degraded]);
    }

    [Fact]
    public void AnAuditStillRunningLeavesTheVerdictOnTheRunBefore()
    {
        var scheduled = new DateTime(2026, 12, 8, 10, 0, 0, DateTimeKind.Utc);
        var running = CronJob(scheduled, scheduled.AddHours(-1).AddMinutes(2));
        running.Status.Active = [new V1ObjectReference { Name = "prod-audit-29000000" }];
        var cluster = SampleClusters.Minimal();
        cluster.Status = new LedgerClusterStatus { Conditions = [new() { Type = StatusConditions.LastAuditSucceeded, Status = "True", Reason = "Succeeded" }] };

        var conditions = StatusConditions.Compute(cluster, [running], null, Now).ToDictionary(c => c.Type, c => (c.Status, c.Reason));

        Assert.Equal(("True", "Succeeded"), conditions[StatusConditions.LastAuditSucceeded]);
        Assert.Equal(("Unknown", "Running"), Compute([running], null)[StatusConditions.LastAuditSucceeded]);
        // Once it has ended without success, it is judged.
        running.Status.Active = null;
        var ended = StatusConditions.Compute(cluster, [running], null, Now).Single(c => c.Type == StatusConditions.LastAuditSucceeded);
        Assert.Equal(("False", "NotSucceeded"), (ended.Status, ended.Reason));
    }

    [Fact]
    public void ARoundThatStopsBeforeTheCronJobKeepsTheAuditConditions()
    {
        var cluster = SampleClusters.Minimal();
        cluster.Status = new LedgerClusterStatus
        {
            Conditions =
            [
                new() { Type = StatusConditions.AuditScheduled, Status = "True", Reason = "Scheduled" },
                new() { Type = StatusConditions.LastAuditSucceeded, Status = "False", Reason = "NotSucceeded" },
            ],
        };

        var conditions = StatusConditions.Compute(cluster, [MigrationJob(null)], null, Now).ToDictionary(c => c.Type, c => (c.Status, c.Reason));

        Assert.Equal(("True", "Scheduled"), conditions[StatusConditions.AuditScheduled]);
        Assert.Equal(("False", "NotSucceeded"), conditions[StatusConditions.LastAuditSucceeded]);
    }

    [Fact]
    public void MergeKeepsTheTransitionTimeOnlyWhileTheStatusHolds()
    {
        var earlier = Now.AddDays(-1);
        var previous = new List<LedgerClusterCondition>
        {
            new() { Type = StatusConditions.Ready, Status = "False", LastTransitionTime = earlier },
            new() { Type = StatusConditions.Degraded, Status = "True", LastTransitionTime = earlier },
        };
        var current = StatusConditions.Compute(SampleClusters.Minimal(), [Deployment(1, 0)], null, Now);

        var merged = StatusConditions.Merge(previous, current).ToDictionary(c => c.Type);

        Assert.Equal(earlier, merged[StatusConditions.Ready].LastTransitionTime);
        Assert.Equal(Now, merged[StatusConditions.Degraded].LastTransitionTime);
    }

    private static Dictionary<string, (string, string)> Compute(IReadOnlyList<object> applied, Exception? failure) =>
        StatusConditions.Compute(SampleClusters.Minimal(), applied, failure, Now).ToDictionary(c => c.Type, c => (c.Status, c.Reason));

    // A steady deployment unless told otherwise: every pod runs the current template.
    private static V1Deployment Deployment(int desired, int available, int? updated = null, int? pods = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "prod-ledger", Generation = 1 },
        Spec = new V1DeploymentSpec { Replicas = desired },
        Status = new V1DeploymentStatus
        {
            AvailableReplicas = available, ObservedGeneration = 1, UpdatedReplicas = updated ?? available, Replicas = pods ?? available,
        },
    };

    private static V1Job MigrationJob(string? finished) => new()
    {
        Metadata = new V1ObjectMeta { Name = "prod-migrate-0123456789" },
        Status = new V1JobStatus
        {
            Conditions = finished is null ? null : [new V1JobCondition { Type = finished, Status = "True" }],
            Succeeded = finished == "Complete" ? 1 : null,
        },
    };

    private static V1CronJob CronJob(DateTime? scheduled, DateTime? succeeded) => new()
    {
        Metadata = new V1ObjectMeta { Name = "prod-audit" },
        Status = new V1CronJobStatus { LastScheduleTime = scheduled, LastSuccessfulTime = succeeded },
    };
}
