namespace Payments.Audit.Checks;

/// <summary>The outcome of one check: its verdict, how many problems it found, and the first of them.</summary>
/// <param name="Name">Stable machine name, for example <c>hash-chain</c>.</param>
/// <param name="Title">What the check asserts, in one sentence.</param>
/// <param name="Status">The verdict.</param>
/// <param name="ProblemCount">Every problem found, of which <paramref name="Findings"/> lists the first.</param>
/// <param name="Findings">The first offending rows, in the order they were met.</param>
/// <param name="Note">What was checked, or why the check was skipped.</param>
public sealed record CheckResult(string Name, string Title, CheckStatus Status, long ProblemCount, IReadOnlyList<Finding> Findings, string Note);
