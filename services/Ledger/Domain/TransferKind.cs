namespace Payments.Ledger.Domain;

/// <summary>How a transfer moves money; stored by its upper-case name.</summary>
public enum TransferKind
{
    /// <summary>Posted at once.</summary>
    Posted,

    /// <summary>A hold: reserves funds in the pending columns.</summary>
    Pending,

    /// <summary>Posts a hold, fully or partially, releasing the rest.</summary>
    PostPending,

    /// <summary>Releases a hold, on request or because it expired.</summary>
    VoidPending,

    /// <summary>Moves money back for a posted transfer.</summary>
    Reversal,
}

/// <summary>The wire form of <see cref="TransferKind"/>.</summary>
public static class TransferKindExtensions
{
    /// <summary>The proto enum value of <paramref name="kind"/>.</summary>
    public static Payments.Contracts.LedgerV1.TransferKind ToProto(this TransferKind kind) => kind switch
    {
        TransferKind.Posted => Payments.Contracts.LedgerV1.TransferKind.Posted,
        TransferKind.Pending => Payments.Contracts.LedgerV1.TransferKind.Pending,
        TransferKind.PostPending => Payments.Contracts.LedgerV1.TransferKind.PostPending,
        TransferKind.VoidPending => Payments.Contracts.LedgerV1.TransferKind.VoidPending,
        TransferKind.Reversal => Payments.Contracts.LedgerV1.TransferKind.Reversal,
        _ => Payments.Contracts.LedgerV1.TransferKind.Unspecified,
    };
}
