using System.Diagnostics;

namespace Payments.ServiceDefaults.Telemetry;

/// <summary>Names of the platform's own activity sources; telemetry subscribes to all of them by pattern.</summary>
public static class PaymentsActivitySources
{
    /// <summary>Matches every source and meter the platform defines.</summary>
    public const string NamePattern = "Payments.*";

    /// <summary>The ledger writer's spans: one per applied event, children of the request that caused it.</summary>
    public static readonly ActivitySource Ledger = new("Payments.Ledger");

    /// <summary>The Payment API's own spans, around publishing and waiting.</summary>
    public static readonly ActivitySource Api = new("Payments.Api");

    /// <summary>Settlement's spans: one per payout settled, a child of the request that asked for it.</summary>
    public static readonly ActivitySource Settlement = new("Payments.Settlement");
}
