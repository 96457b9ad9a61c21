namespace Payments.Contracts;

/// <summary>The topics of the event backbone; protos/events/v1/events.proto documents what each carries.</summary>
public static class EventTopics
{
    /// <summary>Intents: account openings and payments, partitioned by ledger.</summary>
    public const string Payments = "payments";

    /// <summary>Outcomes written by the ledger writer in the same transaction as the ledger rows.</summary>
    public const string Ledger = "ledger";

    /// <summary>Results from payment rails, relayed by each ledger into its intents.</summary>
    public const string Settlement = "settlement";
}
