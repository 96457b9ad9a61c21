using System.Text.RegularExpressions;
using k8s.Models;
using Payments.Operator.Crd;

namespace Payments.Operator.Tests;

/// <summary>The longest name the CRD admits still gives every object the operator creates a valid name.</summary>
public sealed class ClusterNameLimitTests
{
    // A Job's and a CronJob's names become label values of their pods (63 characters); a CronJob's also
    // gets 11 characters of its own Jobs' suffix; the Services' names are DNS labels.
    private const int NameMax = 63;
    private const int CronJobNameMax = 52;

    [Fact]
    public void ALongestAdmittedNameFitsEveryPlannedObject()
    {
        var cluster = SampleClusters.WithOperatorMigrations();
        cluster.Metadata.Name = "p" + new string('9', LedgerClusterCrd.NameLengthMax - 1);
        Assert.Matches(LedgerClusterCrd.NamePattern, cluster.Metadata.Name);

        var objects = PlannedObjects.ParseStrictly(cluster);

        Assert.Contains(objects, o => o is V1Job);
        Assert.All(objects, o => Assert.True(o.Metadata.Name.Length <= (o is V1CronJob ? CronJobNameMax : NameMax),
            $"{o.Kind} {o.Metadata.Name} is {o.Metadata.Name.Length} characters"));
        Assert.All(objects, o => Assert.Matches(LedgerClusterCrd.NamePattern, o.Metadata.Name));
    }

    [Fact]
    public void OneCharacterMoreWouldNotFitTheMigrationJob()
    {
        var cluster = SampleClusters.WithOperatorMigrations();
        cluster.Metadata.Name = "p" + new string('9', LedgerClusterCrd.NameLengthMax);

        var job = Assert.Single(PlannedObjects.ParseStrictly(cluster).OfType<V1Job>());

        Assert.True(job.Metadata.Name.Length > NameMax);
    }

    [Theory]
    [InlineData("prod", true)]
    [InlineData("eu-2", true)]
    [InlineData("Prod", false)]
    [InlineData("prod.eu", false)]
    [InlineData("prod-", false)]
    [InlineData("2prod", false)]
    public void TheNamePatternIsADnsLabel(string name, bool admitted)
    {
        Assert.Equal(admitted, Regex.IsMatch(name, LedgerClusterCrd.NamePattern));
    }
}
