namespace Payments.Postgres;

/// <summary>
/// The least-privilege roles of DESIGN.md section 8. Migrations grant to these names, so a deployment
/// creates the roles (with its own passwords) before the first migration.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>Owns the schemas and runs migrations; no service runs as it.</summary>
    public const string Owner = "payments_owner";

    /// <summary>The ledger writer: INSERT and SELECT on the ledger, appends to the event log, reads the audit's recorded runs.</summary>
    public const string LedgerWriter = "payments_ledger";

    /// <summary>The Payment API: appends intents to the event log and reads the ledger, nothing more.</summary>
    public const string Api = "payments_api";

    /// <summary>Settlement: reads the ledger's outcomes, appends rail results, keeps the sandbox rail's books.</summary>
    public const string Settlement = "payments_settlement";

    /// <summary>The audit job: SELECT on the ledger and the event log, INSERT and SELECT on the audit schema.</summary>
    public const string Auditor = "payments_auditor";
}
