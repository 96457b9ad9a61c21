using Payments.Contracts.LedgerV1;

namespace Payments.Ledger.Domain;

/// <summary>Decides whether a hold may be posted or voided; pure, ordered early returns.</summary>
public static class HoldValidator
{
    /// <summary>
    /// The first rule a post of <paramref name="amountMinor"/> (0 = all) breaks at <paramref name="at"/>,
    /// or <see cref="ResultCode.Ok"/>. Posting completes a reservation made earlier, so a frozen account
    /// does not stop it; a closed one does.
    /// </summary>
    public static ResultCode ValidatePost(TransferState? hold, string ledger, long amountMinor, DateTimeOffset at, AccountState? debit, AccountState? credit)
    {
        var code = ValidateOpen(hold, ledger, at);
        if (code != ResultCode.Ok)
        {
            return code;
        }

        if (amountMinor < 0)
        {
            return ResultCode.AmountMustBePositive;
        }

        if (amountMinor > hold!.AmountMinor)
        {
            return ResultCode.ExceedsPendingAmount;
        }

        return debit?.Status == AccountStatus.Closed || credit?.Status == AccountStatus.Closed ? ResultCode.AccountClosed : ResultCode.Ok;
    }

    /// <summary>
    /// The first rule a void at <paramref name="at"/> breaks, or <see cref="ResultCode.Ok"/>. Releasing
    /// funds is always allowed, whatever the accounts' status, so that no money can get stuck.
    /// </summary>
    public static ResultCode ValidateVoid(TransferState? hold, string ledger, DateTimeOffset at) => ValidateOpen(hold, ledger, at);

    /// <summary>
    /// The first rule a settlement result at <paramref name="at"/> breaks, or <see cref="ResultCode.Ok"/>.
    /// When the rail has paid, the money has left: the ledger must record that whatever the accounts'
    /// status, so only the reservation itself is checked, for posting and voiding alike.
    /// </summary>
    public static ResultCode ValidateSettlement(TransferState? reservation, string ledger, DateTimeOffset at) =>
        ValidateOpen(reservation, ledger, at);

    private static ResultCode ValidateOpen(TransferState? hold, string ledger, DateTimeOffset at)
    {
        if (hold is null || hold.Kind != TransferKind.Pending || hold.Ledger != ledger)
        {
            return ResultCode.PendingTransferNotFound;
        }

        return hold.Resolution switch
        {
            HoldResolution.Posted => ResultCode.AlreadyPosted,
            HoldResolution.Voided => ResultCode.AlreadyVoided,
            HoldResolution.Expired => ResultCode.PendingTransferExpired,
            _ when at >= hold.ExpiresAt => ResultCode.PendingTransferExpired,
            _ => ResultCode.Ok,
        };
    }
}
