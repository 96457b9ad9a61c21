using Payments.Contracts.LedgerV1;

namespace Payments.Ledger.Domain;

/// <summary>Decides whether a posted transfer may be reversed by an amount; pure, ordered early returns.</summary>
public static class ReversalValidator
{
    /// <summary>
    /// The amount to reverse (<paramref name="requestedMinor"/>, or everything that remains when it is 0)
    /// and the first rule broken, or <see cref="ResultCode.Ok"/>. The money moves back from the original
    /// credit account to the original debit account under the same rules as any transfer.
    /// </summary>
    public static (ResultCode Code, long AmountMinor) Validate(
        TransferState? original, string ledger, long requestedMinor, Guid reversalId, AccountState? originalCredit, AccountState? originalDebit)
    {
        if (original is null || original.Ledger != ledger)
        {
            return (ResultCode.ReversalTargetNotFound, 0);
        }

        if (original.Kind is not (TransferKind.Posted or TransferKind.PostPending))
        {
            return (ResultCode.ReversalTargetNotReversible, 0);
        }

        if (requestedMinor < 0)
        {
            return (ResultCode.AmountMustBePositive, 0);
        }

        var remaining = original.AmountMinor - original.ReversedMinor;
        var amount = requestedMinor == 0 ? remaining : requestedMinor;
        if (amount == 0 || amount > remaining)
        {
            return (ResultCode.ExceedsReversibleAmount, 0);
        }

        var movement = new TransferCommand(reversalId, ledger, original.CreditAccountId, original.DebitAccountId, amount, original.Currency);
        return (TransferValidator.Validate(movement, originalCredit, originalDebit), amount);
    }
}
