using Payments.Contracts;
using Payments.Contracts.LedgerV1;

namespace Payments.Ledger.Domain;

/// <summary>Decides whether an account may be opened; pure, like <see cref="TransferValidator"/>.</summary>
public static class AccountOpeningValidator
{
    /// <summary>The first rule <paramref name="requested"/> breaks, or <see cref="ResultCode.Ok"/>.</summary>
    public static ResultCode Validate(Account requested)
    {
        if (!CurrencyCodes.IsWellFormed(requested.Currency))
        {
            return ResultCode.CurrencyInvalid;
        }

        if (string.IsNullOrWhiteSpace(requested.Owner))
        {
            return ResultCode.OwnerRequired;
        }

        if (requested.Limits == (AccountLimits.DebitsMustNotExceedCredits | AccountLimits.CreditsMustNotExceedDebits))
        {
            return ResultCode.FlagsMutuallyExclusive;
        }

        return ResultCode.Ok;
    }
}
