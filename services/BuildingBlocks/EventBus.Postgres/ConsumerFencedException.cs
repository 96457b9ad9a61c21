namespace Payments.EventBus.Postgres;

/// <summary>Another instance of the consumer moved the offset first; this instance's batch must not commit.</summary>
public sealed class ConsumerFencedException(string consumer, string topic, long expectedOffset)
    : Exception($"Consumer '{consumer}' on topic '{topic}' is no longer at offset {expectedOffset}: another instance advanced it.");
