namespace Payments.EventBus;

/// <summary>
/// A CloudEvents 1.0 envelope (structured JSON mode). <see cref="Data"/> is the payload in
/// protobuf-JSON form and <see cref="Type"/> the payload's protobuf full name.
/// </summary>
/// <param name="Id">Event id; deterministic where the event derives from a request, so a re-publish dedupes.</param>
/// <param name="Type">The protobuf full name of the payload, for example <c>events.v1.PaymentRequested</c>.</param>
/// <param name="Source">The emitting service.</param>
/// <param name="Subject">The payment or account the event is about.</param>
/// <param name="PartitionKey">The key that orders the stream (the ledger name).</param>
/// <param name="Time">When the event happened, as the emitter saw it.</param>
/// <param name="TraceParent">W3C trace context of the emitting operation, if any.</param>
/// <param name="Data">The payload as protobuf JSON.</param>
public sealed record EventEnvelope(
    Guid Id,
    string Type,
    string Source,
    string Subject,
    string PartitionKey,
    DateTimeOffset Time,
    string? TraceParent,
    string Data)
{
    /// <summary>The CloudEvents spec version every envelope uses.</summary>
    public const string SpecVersion = "1.0";

    /// <summary>The content type of <see cref="Data"/>.</summary>
    public const string DataContentType = "application/json";
}
