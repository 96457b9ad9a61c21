using Google.Protobuf.Reflection;

namespace Payments.Audit.IntentTracing;

/// <summary>
/// An event type of the intents topic and the payload field that holds the id its outcome is recorded under
/// (a transfer's id, a rejection's intent id, an account's id, a status change's id). Null for an event that
/// has no outcome of its own and is known only by its effects, such as a clock tick.
/// </summary>
/// <param name="EventType">The protobuf full name, which is the CloudEvents <c>type</c>.</param>
/// <param name="OutcomeIdJsonField">The protobuf-JSON name of the id field.</param>
public sealed record IntentType(string EventType, string? OutcomeIdJsonField)
{
    /// <summary>An intent whose outcome carries the id in field number <paramref name="idField"/> of <paramref name="message"/>.</summary>
    public static IntentType WithOutcome(MessageDescriptor message, int idField) =>
        new(message.FullName, message.FindFieldByNumber(idField).JsonName);

    /// <summary>An event that causes ledger rows but records no outcome under an id of its own.</summary>
    public static IntentType WithoutOwnOutcome(MessageDescriptor message) => new(message.FullName, null);
}
