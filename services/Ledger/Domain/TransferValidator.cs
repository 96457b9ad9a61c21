using Payments.Contracts.LedgerV1;

namespace Payments.Ledger.Domain;

/// <summary>
/// Decides whether money may move: a posted transfer, a new hold, or the movement of a reversal. A pure function of (state, command): a flat list of early
/// returns, checked in the documented order, so the same inputs always give the same code.
/// </summary>
public static class TransferValidator
{
    /// <summary>The first rule <paramref name="command"/> breaks, or <see cref="ResultCode.Ok"/>.</summary>
    public static ResultCode Validate(TransferCommand command, AccountState? debit, AccountState? credit)
    {
        if (command.AmountMinor <= 0)
        {
            return ResultCode.AmountMustBePositive;
        }

        if (command.DebitAccountId == command.CreditAccountId)
        {
            return ResultCode.AccountsMustBeDifferent;
        }

        if (debit is null || debit.Account.Ledger != command.Ledger)
        {
            return ResultCode.DebitAccountNotFound;
        }

        if (credit is null || credit.Account.Ledger != command.Ledger)
        {
            return ResultCode.CreditAccountNotFound;
        }

        if (debit.Account.Currency != command.Currency || credit.Account.Currency != command.Currency)
        {
            return ResultCode.CurrencyMismatch;
        }

        if (debit.Status == AccountStatus.Closed || credit.Status == AccountStatus.Closed)
        {
            return ResultCode.AccountClosed;
        }

        if (debit.Status == AccountStatus.Frozen)
        {
            return ResultCode.AccountFrozen;
        }

        if (WouldOverflow(debit.Balances.DebitsPosted, debit.Balances.DebitsPending, command.AmountMinor)
            || WouldOverflow(credit.Balances.CreditsPosted, credit.Balances.CreditsPending, command.AmountMinor))
        {
            return ResultCode.Overflow;
        }

        if (debit.Account.Limits.HasFlag(AccountLimits.DebitsMustNotExceedCredits)
            && debit.Balances.DebitsPosted + debit.Balances.DebitsPending + command.AmountMinor > debit.Balances.CreditsPosted)
        {
            return ResultCode.ExceedsCredits;
        }

        if (credit.Account.Limits.HasFlag(AccountLimits.CreditsMustNotExceedDebits)
            && credit.Balances.CreditsPosted + credit.Balances.CreditsPending + command.AmountMinor > credit.Balances.DebitsPosted)
        {
            return ResultCode.ExceedsDebits;
        }

        return ResultCode.Ok;
    }

    // Posted plus pending plus the amount must stay within int64, or a later post of the pending part
    // could overflow; checking the sum once here covers both.
    private static bool WouldOverflow(long posted, long pending, long amount) =>
        (Int128)posted + pending + amount > long.MaxValue;
}
