namespace Payments.EventBus;

/// <summary>Events delivered together, in topic order.</summary>
/// <param name="Topic">The topic they came from.</param>
/// <param name="Events">The events, oldest first.</param>
/// <param name="Progress">Records that the batch has been handled.</param>
public sealed record EventBatch(string Topic, IReadOnlyList<EventEnvelope> Events, IDeliveryProgress Progress);
