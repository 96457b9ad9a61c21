namespace Payments.Audit.IntentTracing;

/// <summary>An intent event and an outcome recorded under its event id; either may be missing.</summary>
internal sealed record IntentOutcomePair(LoggedIntent? Intent, RecordedOutcome? Outcome)
{
    /// <summary>The outcome carries the intent's id: each is what the other says.</summary>
    public bool Matches => Intent is not null && Outcome is not null && Intent.IntentId == Outcome.Id;

    /// <summary>The outcome's causing event is an intent of the ledger that carries its id, or the tick that expired its hold.</summary>
    public bool Traces => Intent is not null && Outcome is not null && (Matches || (Intent.ReleasesExpiredHolds && Outcome.ByClock));
}
