using Payments.Postgres;

namespace Payments.Settlement.Storage;

/// <summary>Settlement's migrations: its decisions and the sandbox rail's books (the event log is the ledger's to migrate).</summary>
public static class SettlementSchema
{
    /// <summary>Every migration, in order; applied by the owner role.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        Migration.FromResource(typeof(SettlementSchema).Assembly, "sandbox_rail_001.sql"),
        Migration.FromResource(typeof(SettlementSchema).Assembly, "settlement_001_decisions.sql"),
        Migration.FromResource(typeof(SettlementSchema).Assembly, "settlement_002_unresolved_decisions.sql"),
    ];
}
