using Google.Protobuf.Reflection;

namespace Payments.Audit.IntentTracing;

/// <summary>
/// An event type of the intents topic and how to find the id its outcome is recorded under (a transfer's id,
/// a rejection's intent id, an account's id, a status change's id, a clock tick's record).
/// </summary>
/// <param name="EventType">The protobuf full name, which is the CloudEvents <c>type</c>.</param>
/// <param name="OutcomeIdJsonField">
/// The protobuf-JSON name of the payload field holding the id, or null when the outcome is recorded under
/// the event's own id. Either way, a payload id that is not a UUID means the event's id, as the writer
/// rejects a malformed intent under its event id.
/// </param>
public sealed record IntentType(string EventType, string? OutcomeIdJsonField)
{
    /// <summary>Maps the payload's id to the outcome id, when the writer derives one (a settlement result's, say).</summary>
    public Func<Guid, Guid>? DeriveOutcomeId { get; init; }

    /// <summary>True when the event also causes expiry releases, transfers under ids of their own (clock ticks).</summary>
    public bool ReleasesExpiredHolds { get; init; }

    /// <summary>
    /// The id the outcome of an event of this type is recorded under, read the way the writer reads it: the
    /// payload's id in its 36-character form (derived when the type says so), or the event's own id when the
    /// type names none or the payload's id does not parse.
    /// </summary>
    public Guid IntentIdOf(Guid eventId, string? payloadId) =>
        OutcomeIdJsonField is not null && Guid.TryParseExact(payloadId, "D", out var id) ? DeriveOutcomeId?.Invoke(id) ?? id : eventId;

    /// <summary>An intent whose outcome carries the id in field number <paramref name="idField"/> of <paramref name="message"/>.</summary>
    public static IntentType WithOutcome(MessageDescriptor message, int idField) =>
        new(message.FullName, message.FindFieldByNumber(idField).JsonName);

    /// <summary>An intent whose outcome id the writer derives from the id in field number <paramref name="idField"/>.</summary>
    public static IntentType WithDerivedOutcome(MessageDescriptor message, int idField, Func<Guid, Guid> derive) =>
        WithOutcome(message, idField) with { DeriveOutcomeId = derive };

    /// <summary>An event whose outcome is recorded under the event's own id.</summary>
    public static IntentType WithOutcomeUnderEventId(MessageDescriptor message) => new(message.FullName, null);
}
