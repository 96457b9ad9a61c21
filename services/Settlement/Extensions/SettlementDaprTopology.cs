using Payments.Contracts;
using Payments.EventBus.Dapr;

namespace Payments.Settlement.Extensions;

/// <summary>Settlement's place on the Dapr transport (ADR 0021).</summary>
internal static class SettlementDaprTopology
{
    /// <summary>
    /// The ledger's outcomes are pushed (FundsReserved among them); nothing is relayed from here: the
    /// results Settlement appends to the log's settlement topic are forwarded by the Ledger's relays.
    /// </summary>
    public static DaprTopology Topology { get; } = new([new DaprTopicSubscription(EventTopics.Ledger)], []);
}
