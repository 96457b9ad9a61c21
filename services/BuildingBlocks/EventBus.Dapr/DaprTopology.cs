namespace Payments.EventBus.Dapr;

/// <summary>What one service subscribes to through Dapr and which outbox topics it relays there.</summary>
/// <param name="Subscriptions">Topics the sidecar pushes to this service.</param>
/// <param name="RelayedTopics">Topics of the PostgreSQL log this service forwards to Dapr at least once.</param>
public sealed record DaprTopology(IReadOnlyList<DaprTopicSubscription> Subscriptions, IReadOnlyList<string> RelayedTopics);

/// <summary>One topic the sidecar pushes to the service.</summary>
/// <param name="Topic">The topic.</param>
public sealed record DaprTopicSubscription(string Topic)
{
    /// <summary>Where the sidecar sends what this service answered DROP for, so nothing vanishes.</summary>
    public string DeadLetterTopic => Topic + "-deadletter";

    /// <summary>The HTTP route the sidecar POSTs each event of the topic to.</summary>
    public string Route => "/dapr/events/" + Topic;
}
