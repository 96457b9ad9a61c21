namespace Payments.Ledger.Domain;

/// <summary>An account with its balances after its latest entry.</summary>
/// <param name="Account">The account.</param>
/// <param name="Balances">Balances after the latest entry.</param>
/// <param name="Sequence">The latest entry's account sequence; 0 before the first entry.</param>
public sealed record AccountState(Account Account, Balances Balances, long Sequence)
{
    /// <summary>A freshly opened account with no entries.</summary>
    public static AccountState Opened(Account account) => new(account, default, 0);
}
