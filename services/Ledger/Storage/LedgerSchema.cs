using Payments.EventBus.Postgres;
using Payments.Postgres;

namespace Payments.Ledger.Storage;

/// <summary>The migrations of the ledger's database: the event log (embedded mode) and the ledger.</summary>
public static class LedgerSchema
{
    /// <summary>Every migration, in order; applied by the owner role.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        .. EventLogSchema.Migrations,
        Migration.FromResource(typeof(LedgerSchema).Assembly, "ledger_001_ledger.sql"),
        Migration.FromResource(typeof(LedgerSchema).Assembly, "ledger_002_holds_reversals_status.sql"),
        Migration.FromResource(typeof(LedgerSchema).Assembly, "ledger_003_payment_listing.sql"),
        Migration.FromResource(typeof(LedgerSchema).Assembly, "ledger_004_payouts.sql"),
        Migration.FromResource(typeof(LedgerSchema).Assembly, "ledger_005_clock_ticks.sql"),
        Migration.FromResource(typeof(LedgerSchema).Assembly, "ledger_006_references_checked_by_writer.sql"),
        Migration.FromResource(typeof(LedgerSchema).Assembly, "ledger_007_fewer_indexes_on_the_write_path.sql"),
    ];
}
