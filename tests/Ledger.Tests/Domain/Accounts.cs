using Payments.Ledger.Domain;

namespace Payments.Ledger.Tests.Domain;

/// <summary>Account states for validator tests.</summary>
internal static class Accounts
{
    public static AccountState State(
        string currency = "EUR", AccountLimits limits = AccountLimits.None, Balances balances = default, string ledger = "main") =>
        new(new Account(Guid.NewGuid(), ledger, currency, "owner", limits, Guid.NewGuid(), DateTimeOffset.UnixEpoch), balances, 0);

    public static TransferCommand Transfer(AccountState debit, AccountState credit, long amount = 100, string currency = "EUR") =>
        new(Guid.NewGuid(), "main", debit.Account.Id, credit.Account.Id, amount, currency);
}
