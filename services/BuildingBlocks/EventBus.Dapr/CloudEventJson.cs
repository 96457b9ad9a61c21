using System.Globalization;
using System.Text.Json;

namespace Payments.EventBus.Dapr;

/// <summary>
/// An <see cref="EventEnvelope"/> as a structured-mode CloudEvents 1.0 JSON document, and back. The
/// platform writes its own envelope, rather than letting the sidecar wrap the payload, so that subject,
/// time and the partition key travel with the event exactly as the PostgreSQL log stores them.
/// </summary>
public static class CloudEventJson
{
    /// <summary>The content type that tells the sidecar the body already is a CloudEvent.</summary>
    public const string ContentType = "application/cloudevents+json";

    /// <summary>The CloudEvents extension attribute that carries the partition key (lower case, as the spec requires).</summary>
    public const string PartitionKeyAttribute = "partitionkey";

    /// <summary>
    /// The extension attribute that carries the envelope's own traceparent. The sidecar overwrites
    /// <c>traceparent</c> with its publish span's context, and the writer stores the trace id with every
    /// transfer, inside the hash: a replay from the log must find the same one the live writer did.
    /// </summary>
    public const string TraceParentAttribute = "paymentstraceparent";

    /// <summary>Writes <paramref name="envelope"/> as a structured CloudEvent; <c>data</c> is the payload's JSON object.</summary>
    public static byte[] Serialize(EventEnvelope envelope)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", EventEnvelope.SpecVersion);
            writer.WriteString("id", envelope.Id.ToString());
            writer.WriteString("type", envelope.Type);
            writer.WriteString("source", envelope.Source);
            writer.WriteString("subject", envelope.Subject);
            writer.WriteString("time", envelope.Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("datacontenttype", EventEnvelope.DataContentType);
            writer.WriteString(PartitionKeyAttribute, envelope.PartitionKey);
            if (envelope.TraceParent is not null)
            {
                writer.WriteString("traceparent", envelope.TraceParent);
                writer.WriteString(TraceParentAttribute, envelope.TraceParent);
            }

            writer.WritePropertyName("data");
            writer.WriteRawValue(envelope.Data);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a structured CloudEvent as Dapr delivers it. Returns null when it is not one the platform
    /// can act on: not an object, not spec version 1.0, an id that is not a UUID, no type or source, no
    /// partition key, a time that does not parse, or <c>data</c> that is not a JSON object. Attributes
    /// the sidecar adds or replaces (topic, pubsubname, traceid, tracestate, traceparent) are ignored
    /// when the envelope's own traceparent is there; an event published without it keeps the sidecar's.
    /// </summary>
    public static EventEnvelope? TryParse(JsonElement cloudEvent, DateTimeOffset receivedAt)
    {
        if (cloudEvent.ValueKind != JsonValueKind.Object
            || Text(cloudEvent, "specversion") != EventEnvelope.SpecVersion
            || !Guid.TryParse(Text(cloudEvent, "id"), out var id)
            || Text(cloudEvent, "type") is not { Length: > 0 } type
            || Text(cloudEvent, "source") is not { Length: > 0 } source
            || Text(cloudEvent, PartitionKeyAttribute) is not { Length: > 0 } partitionKey
            || !TryTime(cloudEvent, receivedAt, out var time)
            || !IsJsonContent(cloudEvent)
            || !cloudEvent.TryGetProperty("data", out var data)
            || data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new EventEnvelope(id, type, source, Text(cloudEvent, "subject") ?? string.Empty, partitionKey, time,
            (Text(cloudEvent, TraceParentAttribute) ?? Text(cloudEvent, "traceparent")) is { Length: > 0 } traceParent ? traceParent : null,
            data.GetRawText());
    }

    private static string? Text(JsonElement cloudEvent, string attribute) =>
        cloudEvent.TryGetProperty(attribute, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // CloudEvents makes time optional; an event without one is dated when it arrived.
    private static bool TryTime(JsonElement cloudEvent, DateTimeOffset receivedAt, out DateTimeOffset time)
    {
        time = receivedAt;
        if (!cloudEvent.TryGetProperty("time", out var value))
        {
            return true;
        }

        return value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time);
    }

    // Dapr writes "application/json" or "application/json; charset=utf-8"; absent means JSON by the spec.
    private static bool IsJsonContent(JsonElement cloudEvent) =>
        Text(cloudEvent, "datacontenttype") is not { } contentType
        || contentType.StartsWith(EventEnvelope.DataContentType, StringComparison.OrdinalIgnoreCase);
}
