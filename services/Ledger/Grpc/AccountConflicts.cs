using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;

namespace Payments.Ledger.Grpc;

/// <summary>AIP-155 for account openings: a retry must ask for the same account.</summary>
internal static class AccountConflicts
{
    /// <summary>The conflict between the recorded and the retried opening, or <see cref="ResultCode.Ok"/>.</summary>
    public static ResultCode Between(AccountOpeningRequested recorded, AccountOpeningRequested retried) =>
        recorded.Currency != retried.Currency ? ResultCode.ExistsWithDifferentCurrency
        : recorded.Owner != retried.Owner ? ResultCode.ExistsWithDifferentOwner
        : !Equals(recorded.Flags ?? new AccountFlags(), retried.Flags ?? new AccountFlags()) ? ResultCode.ExistsWithDifferentFlags
        : recorded.Ledger != retried.Ledger ? ResultCode.ExistsWithDifferentFields
        : ResultCode.Ok;
}
