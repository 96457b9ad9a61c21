namespace Payments.Audit.IntentTracing;

/// <summary>An intent event of the ledger's log, with the id its outcome must be recorded under.</summary>
/// <param name="Seq">The event's offset in the intents topic.</param>
/// <param name="EventId">The event's id, which every outcome it caused names as its causing event.</param>
/// <param name="Type">The CloudEvents type.</param>
/// <param name="IntentId">The id its outcome must carry (<see cref="IntentType.IntentIdOf"/>).</param>
/// <param name="ReleasesExpiredHolds">True for a clock tick, whose expiry releases are transfers under ids of their own.</param>
internal sealed record LoggedIntent(long Seq, Guid EventId, string Type, Guid IntentId, bool ReleasesExpiredHolds)
{
    /// <summary>The intent of an event as stored: its type decides how its payload's id is read.</summary>
    public static LoggedIntent Of(long seq, Guid eventId, string type, string? payloadId)
    {
        var intentType = IntentTypes.Of(type);
        return new LoggedIntent(seq, eventId, type, intentType.IntentIdOf(eventId, payloadId), intentType.ReleasesExpiredHolds);
    }
}
