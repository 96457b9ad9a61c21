using Payments.Contracts;
using Payments.EventBus.Dapr;

namespace Payments.Ledger.Extensions;

/// <summary>The Ledger's place on the Dapr transport (ADR 0021).</summary>
internal static class LedgerDaprTopology
{
    /// <summary>
    /// The writer takes intents pushed from the payments topic. The Ledger also relays both outbox
    /// topics of the log to Kafka: its outcomes, and the intents the API and its own clock append there.
    /// It is the one service whose database role may record a consumer's offset.
    /// </summary>
    public static DaprTopology Topology { get; } = new(
        [new DaprTopicSubscription(EventTopics.Payments)],
        [EventTopics.Payments, EventTopics.Ledger]);
}
