namespace Payments.Audit.IntentTracing;

/// <summary>
/// Decides both intent checks from the pairs <see cref="IntentSql.Unmatched"/> let through. A pair the server
/// dropped is an intent event and an outcome under its event id that carries the intent's id: that outcome
/// traces, and that intent has an outcome. So only two questions are left for the client:
/// <list type="bullet">
/// <item>which of the pairs it received do not trace (<see cref="Untraced"/>);</item>
/// <item>which intents have other than exactly one outcome. An intent id that appears in no received pair and
/// that no two outcomes share has exactly the one outcome matched to it; every other id is a suspect
/// (<see cref="Suspects"/>), whose outcomes are looked up by id and counted (<see cref="Miscounted"/>).</item>
/// </list>
/// The verdicts are the same as counting every intent's outcomes one by one.
/// </summary>
/// <param name="consumedOffset">The writer's offset: later intents are still in flight and need no outcome yet.</param>
internal sealed class IntentMatcher(long consumedOffset)
{
    /// <summary>The received pairs whose outcome does not trace back to its intent, in ledger order.</summary>
    public static IEnumerable<IntentOutcomePair> Untraced(IEnumerable<IntentOutcomePair> received) => received
        .Where(pair => pair.Outcome is not null && !pair.Traces)
        .OrderBy(pair => pair.Outcome!.Seq ?? long.MaxValue)
        .ThenBy(pair => pair.Outcome!.Kind, StringComparer.Ordinal)
        .ThenBy(pair => pair.Outcome!.Id);

    /// <summary>The ids whose outcomes must be counted: every id of a received pair that does not match, and every shared id.</summary>
    public HashSet<Guid> Suspects(IEnumerable<IntentOutcomePair> received, IEnumerable<Guid> sharedOutcomeIds)
    {
        var suspects = sharedOutcomeIds.ToHashSet();
        foreach (var pair in received.Where(pair => !pair.Matches))
        {
            if (pair.Intent is { } intent && intent.Seq <= consumedOffset)
            {
                suspects.Add(intent.IntentId);
            }

            if (pair.Outcome is { } outcome)
            {
                suspects.Add(outcome.Id);
            }
        }

        return suspects;
    }

    /// <summary>
    /// The suspects that a consumed intent carries and that have no outcome or several, ordered by the intent's
    /// first event. <paramref name="outcomesOfSuspects"/> holds every outcome row under a suspect id, each
    /// with its causing intent: with <paramref name="received"/>, that covers every event carrying a suspect id.
    /// </summary>
    public IEnumerable<MiscountedIntent> Miscounted(
        IReadOnlySet<Guid> suspects, IEnumerable<IntentOutcomePair> received, IReadOnlyCollection<IntentOutcomePair> outcomesOfSuspects)
    {
        var kindsById = outcomesOfSuspects
            .Select(pair => pair.Outcome!)
            .GroupBy(outcome => outcome.Id)
            .ToDictionary(group => group.Key, group => group.Select(outcome => outcome.Kind).Order(StringComparer.Ordinal).ToList());
        return received.Concat(outcomesOfSuspects)
            .Select(pair => pair.Intent)
            .OfType<LoggedIntent>()
            .Where(intent => intent.Seq <= consumedOffset && suspects.Contains(intent.IntentId))
            .GroupBy(intent => intent.IntentId)
            .Select(events => new MiscountedIntent(events.MinBy(intent => intent.Seq)!, kindsById.GetValueOrDefault(events.Key) ?? []))
            .Where(intent => intent.OutcomeKinds.Count != 1)
            .OrderBy(intent => intent.First.Seq)
            .ThenBy(intent => intent.First.IntentId);
    }
}
