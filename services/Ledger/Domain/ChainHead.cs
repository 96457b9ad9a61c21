namespace Payments.Ledger.Domain;

/// <summary>The latest transfer of a ledger: its commit sequence and hash.</summary>
public sealed record ChainHead(long Sequence, byte[] Hash)
{
    /// <summary>The head of an empty ledger: sequence 0 and 32 zero bytes.</summary>
    public static ChainHead Genesis { get; } = new(0, new byte[32]);
}
