namespace Payments.Operator.Controllers;

/// <summary>What the worker does with a key after reconciling it.</summary>
/// <param name="RequeueAfter">Look again after this long, or null when nothing is pending.</param>
/// <param name="Failed">True when the attempt failed and the key backs off.</param>
public sealed record ReconcileOutcome(TimeSpan? RequeueAfter, bool Failed)
{
    public static ReconcileOutcome Done { get; } = new(null, false);

    /// <summary>Ready: look again after <paramref name="resync"/> for what the operator does not watch (audit runs, pods).</summary>
    public static ReconcileOutcome Settled(TimeSpan resync) => new(resync, false);

    public static ReconcileOutcome Failure { get; } = new(null, true);

    /// <summary>
    /// The cluster changed since it was read (409 Conflict): look again soon, on a fresh read. Routine
    /// between concurrent writers, so not a failure: no warning and no backoff.
    /// </summary>
    public static ReconcileOutcome Conflicted { get; } = new(TimeSpan.FromSeconds(1), false);

    /// <summary>Pods are still rolling out: look again soon to refresh Ready (the operator does not watch Deployments).</summary>
    public static ReconcileOutcome Progressing { get; } = new(TimeSpan.FromSeconds(10), false);

    /// <summary>
    /// Waiting for a person: a failed migration Job holds the rollout until someone deletes it. Looking
    /// again at a steady pace, not backing off, brings its successor within half a minute of that.
    /// </summary>
    public static ReconcileOutcome Blocked { get; } = new(TimeSpan.FromSeconds(30), false);
}
