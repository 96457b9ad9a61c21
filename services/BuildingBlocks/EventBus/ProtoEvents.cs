using System.Diagnostics;
using Google.Protobuf;

namespace Payments.EventBus;

/// <summary>Wraps protobuf payloads into envelopes and unwraps them again.</summary>
public static class ProtoEvents
{
    // Unknown fields are ignored so that an older consumer still reads events from a newer producer.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>Creates an envelope for <paramref name="payload"/>; its type is the payload's full name.</summary>
    public static EventEnvelope Wrap(
        IMessage payload, Guid id, string source, string subject, string partitionKey, DateTimeOffset time,
        string? traceParent) =>
        new(id, payload.Descriptor.FullName, source, subject, partitionKey, time,
            traceParent, JsonFormatter.Default.Format(payload));

    /// <summary>True when the envelope carries a <typeparamref name="T"/>.</summary>
    public static bool Carries<T>(this EventEnvelope envelope) where T : IMessage<T>, new() =>
        envelope.Type == TypeName<T>.FullName;

    /// <summary>Reads the payload as <typeparamref name="T"/>.</summary>
    public static T Unwrap<T>(this EventEnvelope envelope) where T : IMessage<T>, new() =>
        ParseData<T>(envelope.Data);

    /// <summary>Reads an envelope's stored <c>data</c> as <typeparamref name="T"/>.</summary>
    public static T ParseData<T>(string data) where T : IMessage<T>, new() => Parser.Parse<T>(data);

    /// <summary>The W3C traceparent of <see cref="Activity.Current"/>, or null outside any trace.</summary>
    public static string? CurrentTraceParent()
    {
        var activity = Activity.Current;
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return null;
        }

        var flags = activity.Recorded ? "01" : "00";
        return $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{flags}";
    }

    private static class TypeName<T> where T : IMessage<T>, new()
    {
        public static readonly string FullName = new T().Descriptor.FullName;
    }
}
