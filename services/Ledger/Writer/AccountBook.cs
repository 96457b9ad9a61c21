using Payments.Ledger.Domain;

namespace Payments.Ledger.Writer;

/// <summary>The writer's view of account states: balances after the latest entry, and status.</summary>
internal sealed class AccountBook() : BoundedBook<AccountState>(state => state.Account.Id, AccountsCachedMax)
{
    private const int AccountsCachedMax = 1_000_000;
}
