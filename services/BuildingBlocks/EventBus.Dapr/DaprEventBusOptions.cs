namespace Payments.EventBus.Dapr;

/// <summary>Configuration section <c>EventBus:Dapr</c>.</summary>
public sealed class DaprEventBusOptions
{
    /// <summary>The name of the Dapr pub/sub component (the operator generates it as <c>pubsub</c>).</summary>
    public string PubSubName { get; set; } = "pubsub";

    /// <summary>
    /// The sidecar's gRPC address. Null leaves it to the Dapr client, which reads DAPR_GRPC_ENDPOINT or
    /// DAPR_GRPC_PORT as the sidecar injector sets them.
    /// </summary>
    public string? GrpcEndpoint { get; set; }

    /// <summary>The most outbox events the relay reads and publishes before recording its offset.</summary>
    public int RelayBatchSizeMax { get; set; } = 256;

    /// <summary>
    /// How long a pushed delivery waits for the writer's lock before it is answered RETRY, in
    /// milliseconds. Bounded so that a delivery never outlives the sidecar's own request timeout.
    /// </summary>
    public int WriterLockWaitMs { get; set; } = 5_000;
}
