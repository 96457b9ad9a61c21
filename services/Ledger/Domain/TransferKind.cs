namespace Payments.Ledger.Domain;

/// <summary>How a transfer moves money; stored by name.</summary>
public enum TransferKind
{
    /// <summary>Posted at once.</summary>
    Posted,
}
