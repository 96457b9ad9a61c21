namespace Payments.Audit;

/// <summary>What one audit run checks and with which key.</summary>
public sealed record AuditSettings
{
    /// <summary>The default grace after a hold's expiry before an open hold counts as overdue: many clock intervals.</summary>
    public static readonly TimeSpan HoldGraceDefault = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The default time within which an intent reaches the writer when the transport keeps no offset of
    /// the writer's in the log (Dapr): intents older than this must have their outcome.
    /// </summary>
    public static readonly TimeSpan DeliveryGraceDefault = TimeSpan.FromMinutes(5);

    /// <summary>The ledger to audit.</summary>
    public string Ledger { get; init; } = "main";

    /// <summary>The PEM key file: a private key verifies and signs checkpoints, a public key only verifies. Null checks without.</summary>
    public string? KeyPath { get; init; }

    /// <summary>
    /// The anchor file (<see cref="Checkpoints.AnchorFile"/>): its checkpoint is verified like the database's,
    /// and a run that signs replaces it. Keep it where the database's administrators cannot write. Null keeps none.
    /// </summary>
    public string? AnchorPath { get; init; }

    /// <summary>How long past its expiry an open hold is tolerated, for the ledger's clock and writer to get to it.</summary>
    public TimeSpan HoldGrace { get; init; } = HoldGraceDefault;

    /// <summary>Under a transport without a writer's offset in the log (Dapr), how old an intent must be to count as delivered.</summary>
    public TimeSpan DeliveryGrace { get; init; } = DeliveryGraceDefault;

    /// <summary>Who runs the audit, recorded with the run next to the database role.</summary>
    public string Principal { get; init; } = Environment.UserName;

    /// <summary>The clock for "now" (holds overdue) and the run's times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
