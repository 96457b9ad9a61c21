namespace Payments.Ledger.Domain;

/// <summary>An account with its balances after its latest entry and its current status.</summary>
/// <param name="Account">The account.</param>
/// <param name="Balances">Balances after the latest entry.</param>
/// <param name="Sequence">The latest entry's account sequence; 0 before the first entry.</param>
/// <param name="Status">The status after the latest account event.</param>
/// <param name="StatusSequence">How many status changes the account has had.</param>
public sealed record AccountState(Account Account, Balances Balances, long Sequence, AccountStatus Status = AccountStatus.Active, long StatusSequence = 0)
{
    /// <summary>A freshly opened account with no entries.</summary>
    public static AccountState Opened(Account account) => new(account, default, 0);
}
