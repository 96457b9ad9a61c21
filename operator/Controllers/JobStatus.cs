using k8s.Models;

namespace Payments.Operator.Controllers;

/// <summary>Whether a run-to-completion Job (one completion, no parallelism) has finished, and how.</summary>
public static class JobStatus
{
    /// <summary>
    /// True once the Job's pod ran to the end. A succeeded pod is counted before the Complete condition is
    /// set (Kubernetes 1.31 sets SuccessCriteriaMet first and waits for the pods to terminate).
    /// </summary>
    public static bool Succeeded(V1Job job) => HasCondition(job, "Complete") || (job.Status?.Succeeded ?? 0) > 0;

    /// <summary>
    /// True once the Job gave up, out of retries or out of time. FailureTarget is that decision, made before
    /// the pods have terminated and the Failed condition follows (Kubernetes 1.31).
    /// </summary>
    public static bool Failed(V1Job job) => !Succeeded(job) && (HasCondition(job, "Failed") || HasCondition(job, "FailureTarget"));

    private static bool HasCondition(V1Job job, string type) =>
        job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") ?? false;
}
