namespace Payments.Audit.IntentTracing;

/// <summary>A ledger row that records what became of an intent.</summary>
/// <param name="Kind">transfer, rejection, account, status change or clock tick.</param>
/// <param name="Id">The id it is recorded under, which its intent must carry.</param>
/// <param name="EventId">The event it names as its cause.</param>
/// <param name="Seq">The commit sequence, for a transfer.</param>
/// <param name="ByClock">True for an expiry release, which a clock tick causes under an id of its own.</param>
internal sealed record RecordedOutcome(string Kind, Guid Id, Guid EventId, long? Seq, bool ByClock);
