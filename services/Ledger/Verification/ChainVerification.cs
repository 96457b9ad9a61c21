namespace Payments.Ledger.Verification;

/// <summary>What <see cref="ChainVerifier"/> found.</summary>
/// <param name="TransfersVerified">How many transfers recomputed correctly, in commit order.</param>
/// <param name="HeadSequence">The sequence of the last verified transfer.</param>
/// <param name="HeadHash">Its hash, lower-case hex.</param>
/// <param name="FirstBadSequence">The first sequence that does not verify, or null when the chain is intact.</param>
/// <param name="Problem">What is wrong at <paramref name="FirstBadSequence"/>.</param>
public sealed record ChainVerification(
    long TransfersVerified, long HeadSequence, string HeadHash, long? FirstBadSequence, string? Problem)
{
    /// <summary>True when every transfer recomputed and linked.</summary>
    public bool IsIntact => FirstBadSequence is null;
}
