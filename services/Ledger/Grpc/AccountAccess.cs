using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Account = Payments.Ledger.Domain.Account;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Security;

namespace Payments.Ledger.Grpc;

/// <summary>
/// Object-level authorization of ledger reads: a principal reads only the accounts it owns, and only the
/// transfers that touch one of them. An accounts administrator (accounts:admin) reads everything.
/// </summary>
internal static class AccountAccess
{
    /// <summary>Throws PERMISSION_DENIED (NOT_ACCOUNT_OWNER) unless the caller owns <paramref name="account"/>.</summary>
    public static void EnsureMayRead(ServerCallContext context, Account account)
    {
        if (!CallerPrincipal.IsAdministrator(context) && account.Owner != CallerPrincipal.Of(context))
        {
            throw GrpcErrors.For(ResultCode.NotAccountOwner, $"Account {account.Id} belongs to another principal.");
        }
    }

    /// <summary>Throws unless the caller owns one of the accounts <paramref name="owners"/> names (the transfer's two sides).</summary>
    public static void EnsureMayReadTransfer(ServerCallContext context, Guid transferId, IEnumerable<string?> owners)
    {
        if (!CallerPrincipal.IsAdministrator(context) && !owners.Contains(CallerPrincipal.Of(context)))
        {
            throw GrpcErrors.For(ResultCode.NotAccountOwner, $"Transfer {transferId} touches no account of the caller.");
        }
    }
}
