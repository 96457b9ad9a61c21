using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Tests;

/// <summary>The schema migration Job the planner adds when the spec names an owner Secret (ADR 0046).</summary>
public sealed class MigrationJobPlanTests
{
    [Fact]
    public void TheJobComesAfterTheConfigurationAndBeforeEveryWorkload()
    {
        var kinds = PlannedObjects.ParseStrictly(SampleClusters.WithOperatorMigrations()).Select(o => o.Kind);

        Assert.Equal(
            ["ConfigMap", "Component", "Job", "Deployment", "Deployment", "Deployment", "Service", "Service", "PodDisruptionBudget", "CronJob"],
            kinds);
    }

    [Fact]
    public void WithoutAnOwnerSecretThereIsNoJob()
    {
        Assert.Empty(PlannedObjects.ParseStrictly(SampleClusters.Minimal()).OfType<V1Job>());
    }

    [Fact]
    public void TheJobMigratesTheLedgerThenSettlementThenTheAuditAsTheOwnerOnly()
    {
        var cluster = SampleClusters.WithOperatorMigrations();

        var job = Assert.Single(PlannedObjects.ParseStrictly(cluster).OfType<V1Job>());

        var owner = Assert.Single(job.Metadata.OwnerReferences);
        Assert.Equal(("LedgerCluster", cluster.Metadata.Uid, true), (owner.Kind, owner.Uid, owner.Controller));
        Assert.Equal("prod", job.Metadata.Labels["app.kubernetes.io/instance"]);
        Assert.Equal("migrations", job.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Equal("migrations", job.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);
        var pod = job.Spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.False(pod.AutomountServiceAccountToken);
        var steps = pod.InitContainers.Concat(pod.Containers).ToList();
        Assert.Equal(
            [
                ("migrate-ledger", cluster.Spec.Images.Ledger, "ConnectionStrings__LedgerOwner"),
                ("migrate-settlement", cluster.Spec.Images.Settlement, "ConnectionStrings__SettlementOwner"),
                ("migrate-audit", cluster.Spec.Images.Audit, "ConnectionStrings__LedgerOwner"),
            ],
            steps.Select(c => (c.Name, c.Image, Assert.Single(c.Env).Name)));
        Assert.Equal(["migrate-audit"], pod.Containers.Select(c => c.Name));
        foreach (var step in steps)
        {
            Assert.Equal(["migrate"], step.Args);
            var secret = step.Env[0].ValueFrom.SecretKeyRef;
            Assert.Equal(("prod-database-owner", "owner"), (secret.Name, secret.Key));
            Assert.True(step.SecurityContext.ReadOnlyRootFilesystem);
            Assert.True(step.SecurityContext.RunAsNonRoot);
            Assert.False(step.SecurityContext.AllowPrivilegeEscalation);
        }
    }

    [Fact]
    public void AnyChangeToThePodTemplateNamesANewJobAndNothingElseDoes()
    {
        var name = JobName(SampleClusters.WithOperatorMigrations());
        Assert.StartsWith("prod-migrate-", name, StringComparison.Ordinal);
        Assert.Equal(name, JobName(SampleClusters.WithOperatorMigrations()));

        Assert.Equal(name, JobName(Changed(c => c.Spec.Images.PaymentsApi = "registry.local/payments-api:1.0.1")));
        Assert.Equal(name, JobName(Changed(c => c.Spec.Replicas.PaymentsApi = 7)));
        Assert.NotEqual(name, JobName(Changed(c => c.Spec.Images.Ledger = "registry.local/ledger:1.0.1")));
        Assert.NotEqual(name, JobName(Changed(c => c.Spec.Images.Settlement = "registry.local/settlement:1.0.1")));
        Assert.NotEqual(name, JobName(Changed(c => c.Spec.Images.Audit = "registry.local/audit:1.0.1")));
        Assert.NotEqual(name, JobName(Changed(c => c.Spec.Database.OwnerSecret!.Key = "owner-rotated")));
        Assert.NotEqual(name, JobName(Changed(c => c.Spec.Images.PullPolicy = "Always")));
    }

    private static V1Alpha1LedgerCluster Changed(Action<V1Alpha1LedgerCluster> change)
    {
        var cluster = SampleClusters.WithOperatorMigrations();
        change(cluster);
        return cluster;
    }

    private static string JobName(V1Alpha1LedgerCluster cluster) =>
        Assert.Single(PlannedObjects.ParseStrictly(cluster).OfType<V1Job>()).Metadata.Name;
}
