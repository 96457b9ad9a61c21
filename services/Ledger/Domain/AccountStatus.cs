namespace Payments.Ledger.Domain;

/// <summary>Where an account is in its life; changed only by account events.</summary>
public enum AccountStatus
{
    /// <summary>Takes debits and credits.</summary>
    Active,

    /// <summary>Refuses new debits; credits and releases of holds still apply.</summary>
    Frozen,

    /// <summary>Refuses everything but releases of holds. Final.</summary>
    Closed,
}
