using Payments.Contracts;
using Payments.EventBus.Dapr;

namespace Payments.Ledger.Extensions;

/// <summary>The Ledger's place on the Dapr transport (ADR 0021).</summary>
internal static class LedgerDaprTopology
{
    // Results from the payment rails, which the ledger's settlement relay copies into its intents. The
    // topic arrives with the payout saga (EventTopics.Settlement); until a handler runs for it here,
    // its deliveries are answered RETRY.
    private const string SettlementTopic = "settlement";

    /// <summary>
    /// The writer takes intents pushed from the payments topic, the settlement relay takes rail results.
    /// The Ledger also relays the outbox topics of the log to Kafka: its outcomes, the intents the API and
    /// its own clock append there, and the rail results Settlement appends. It is the service whose
    /// database role may record a consumer's offset, and every one of its replicas can stand in.
    /// </summary>
    public static DaprTopology Topology { get; } = new(
        [new DaprTopicSubscription(EventTopics.Payments), new DaprTopicSubscription(SettlementTopic)],
        [EventTopics.Payments, EventTopics.Ledger, SettlementTopic]);
}
