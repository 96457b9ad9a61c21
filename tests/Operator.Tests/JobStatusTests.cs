using k8s.Models;
using Payments.Operator.Controllers;

namespace Payments.Operator.Tests;

/// <summary>A Job's end as the Job controller reports it, including the interim conditions of Kubernetes 1.31.</summary>
public sealed class JobStatusTests
{
    [Fact]
    public void ARunningJobHasNeitherSucceededNorFailed()
    {
        var running = Job(active: 1);

        Assert.False(JobStatus.Succeeded(running));
        Assert.False(JobStatus.Failed(running));
    }

    [Fact]
    public void ASucceededPodCountsBeforeTheCompleteCondition()
    {
        Assert.True(JobStatus.Succeeded(Job(succeeded: 1, conditions: ["SuccessCriteriaMet"])));
        Assert.True(JobStatus.Succeeded(Job(succeeded: 1)));
        Assert.True(JobStatus.Succeeded(Job(conditions: ["Complete"])));
    }

    [Fact]
    public void TheFailureTargetCountsBeforeTheFailedCondition()
    {
        Assert.True(JobStatus.Failed(Job(failed: 4, conditions: ["FailureTarget"])));
        Assert.True(JobStatus.Failed(Job(failed: 4, conditions: ["Failed"])));
        Assert.False(JobStatus.Failed(Job(failed: 2, active: 1)));
    }

    [Fact]
    public void AConditionThatIsNotTrueDecidesNothing()
    {
        var job = Job(conditions: ["Complete", "Failed"]);
        foreach (var condition in job.Status.Conditions)
        {
            condition.Status = "False";
        }

        Assert.False(JobStatus.Succeeded(job));
        Assert.False(JobStatus.Failed(job));
    }

    private static V1Job Job(int? active = null, int? succeeded = null, int? failed = null, string[]? conditions = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "prod-migrate-0123456789" },
        Status = new V1JobStatus
        {
            Active = active,
            Succeeded = succeeded,
            Failed = failed,
            Conditions = conditions?.Select(type => new V1JobCondition { Type = type, Status = "True" }).ToList(),
        },
    };
}
