using Payments.EventBus.Dapr;

namespace Payments.Api.Extensions;

/// <summary>The Payment API's place on the Dapr transport (ADR 0021).</summary>
internal static class PaymentApiDaprTopology
{
    /// <summary>
    /// Nothing pushed, nothing relayed: the API appends intents to the log, which is its record of every
    /// payment and the outbox the Ledger relays to Kafka, and it reads outcomes from the log as well.
    /// </summary>
    public static DaprTopology Topology { get; } = new([], []);
}
