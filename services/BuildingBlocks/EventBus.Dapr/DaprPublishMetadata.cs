namespace Payments.EventBus.Dapr;

/// <summary>The publish metadata the sidecar reads for one event.</summary>
public static class DaprPublishMetadata
{
    /// <summary>The key the Kafka component uses as the message key, which chooses the partition.</summary>
    public const string PartitionKey = "partitionKey";

    /// <summary>
    /// The partition key, so that every event of a ledger lands in one partition and keeps its order, and
    /// the CloudEvent attributes the sidecar would otherwise generate. They repeat what the envelope
    /// already says, so the event id stays deterministic whichever of the two the sidecar honours.
    /// </summary>
    public static Dictionary<string, string> For(EventEnvelope envelope)
    {
        var metadata = new Dictionary<string, string>
        {
            [PartitionKey] = envelope.PartitionKey,
            ["cloudevent.id"] = envelope.Id.ToString(),
            ["cloudevent.type"] = envelope.Type,
            ["cloudevent.source"] = envelope.Source,
        };
        if (envelope.TraceParent is not null)
        {
            metadata["cloudevent.traceparent"] = envelope.TraceParent;
        }

        return metadata;
    }
}
