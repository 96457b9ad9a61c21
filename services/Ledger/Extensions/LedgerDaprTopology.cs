using Payments.Contracts;
using Payments.EventBus.Dapr;

namespace Payments.Ledger.Extensions;

/// <summary>The Ledger's place on the Dapr transport (ADR 0021).</summary>
internal static class LedgerDaprTopology
{
    /// <summary>
    /// The writer takes intents pushed from the payments topic, the settlement relay takes rail results.
    /// The Ledger also relays the outbox topics of the log to Kafka: its outcomes, the intents the API and
    /// its own clock append there, and the rail results Settlement appends. It is the service whose
    /// database role may record a consumer's offset, and every one of its replicas can stand in.
    /// </summary>
    public static DaprTopology Topology { get; } = new(
        [new DaprTopicSubscription(EventTopics.Payments), new DaprTopicSubscription(EventTopics.Settlement)],
        [EventTopics.Payments, EventTopics.Ledger, EventTopics.Settlement]);
}
