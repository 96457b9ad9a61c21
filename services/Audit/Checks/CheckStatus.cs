namespace Payments.Audit.Checks;

/// <summary>What a check concluded.</summary>
public enum CheckStatus
{
    /// <summary>Nothing wrong was found.</summary>
    Passed,

    /// <summary>At least one problem was found; see the findings.</summary>
    Failed,

    /// <summary>The check could not run (for example, no key to verify checkpoints with).</summary>
    Skipped,
}
