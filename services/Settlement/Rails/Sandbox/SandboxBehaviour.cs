namespace Payments.Settlement.Rails.Sandbox;

/// <summary>What the sandbox rail does with a payout, so that tests and demos can drive every branch.</summary>
public enum SandboxBehaviour
{
    /// <summary>Pays.</summary>
    Pay,

    /// <summary>Refuses to pay.</summary>
    Decline,

    /// <summary>Never answers: the request is lost on the way, nothing is paid.</summary>
    Timeout,

    /// <summary>Fails transiently a number of times for a payout, then pays.</summary>
    Flaky,

    /// <summary>Pays, and later sends the same answer again as a callback.</summary>
    DuplicateCallback,
}
