using Payments.Postgres;

namespace Payments.Audit.Storage;

/// <summary>
/// The audit schema's migrations. They grant on the ledger and event log, so they run after the ledger's,
/// by the same owner role, through the same <see cref="SqlMigrator"/>.
/// </summary>
public static class AuditSchema
{
    /// <summary>Every migration of the <c>audit</c> schema, in order.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        Migration.FromResource(typeof(AuditSchema).Assembly, "audit_001_audit.sql"),
        Migration.FromResource(typeof(AuditSchema).Assembly, "audit_002_ledger_reads_runs.sql"),
    ];
}
