namespace Payments.Faults.Tests.Bank;

/// <summary>What the nemesis can do to the running platform.</summary>
internal enum Fault
{
    /// <summary>kill -9 of the Payment API, then a fresh one (on a new port).</summary>
    KillApi,

    /// <summary>kill -9 of the ledger writer, then a fresh one.</summary>
    KillLedger,

    /// <summary>kill -9 of Settlement, then a fresh one.</summary>
    KillSettlement,

    /// <summary>PostgreSQL stopped in immediate mode (no checkpoint, sessions cut) and started again.</summary>
    RestartPostgres,

    /// <summary>Every consumer's offset set back to zero: the whole log is delivered again.</summary>
    ReplayFromZero,

    /// <summary>Random intents and settlement results published again under new event ids.</summary>
    DuplicateDeliveries,
}
