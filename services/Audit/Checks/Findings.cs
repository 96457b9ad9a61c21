namespace Payments.Audit.Checks;

/// <summary>
/// Collects a check's problems: counts all of them but keeps only the first few, so a ledger that is wrong
/// everywhere still produces a report of bounded size.
/// </summary>
public sealed class Findings(string name, string title)
{
    /// <summary>How many offending rows a report lists per check.</summary>
    public const int ListedMax = 25;

    private readonly List<Finding> listed = [];

    /// <summary>Every problem added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Records one problem.</summary>
    public void Add(string where, string problem)
    {
        Count++;
        if (listed.Count < ListedMax)
        {
            listed.Add(new Finding(where, problem));
        }
    }

    /// <summary>The verdict: passed when nothing was added.</summary>
    public CheckResult ToResult(string note) =>
        new(name, title, Count == 0 ? CheckStatus.Passed : CheckStatus.Failed, Count, listed.ToArray(), note);

    /// <summary>A check that could not run.</summary>
    public CheckResult Skipped(string why) => new(name, title, CheckStatus.Skipped, 0, [], why);
}
