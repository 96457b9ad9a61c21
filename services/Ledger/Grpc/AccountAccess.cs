using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Account = Payments.Ledger.Domain.Account;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Security;

namespace Payments.Ledger.Grpc;

/// <summary>
/// Object-level authorization of ledger reads: a principal reads only the accounts it owns, and only the
/// transfers that touch one of them. An accounts administrator (accounts:admin) reads everything. What a
/// caller may not read is answered exactly as if it did not exist (ADR 0050): ids derive from their
/// maker's principal and request id, so telling "someone else's" from "none" would let anyone probe
/// which accounts and payments another principal has.
/// </summary>
internal static class AccountAccess
{
    /// <summary>Throws NOT_FOUND (ACCOUNT_NOT_FOUND), as for a missing account, unless the caller owns <paramref name="account"/>.</summary>
    public static void EnsureMayRead(ServerCallContext context, Account account)
    {
        if (!CallerPrincipal.IsAdministrator(context) && account.Owner != CallerPrincipal.Of(context))
        {
            throw AccountNotFound(account.Id);
        }
    }

    /// <summary>Throws as for a missing transfer unless the caller owns one of the accounts <paramref name="owners"/> names (the transfer's two sides).</summary>
    public static void EnsureMayReadTransfer(ServerCallContext context, Guid transferId, IEnumerable<string?> owners)
    {
        if (!CallerPrincipal.IsAdministrator(context) && !owners.Contains(CallerPrincipal.Of(context)))
        {
            throw TransferNotFound(transferId);
        }
    }

    /// <summary>What a read of an account that does not exist is told; one message for both cases.</summary>
    public static RpcException AccountNotFound(Guid id) => GrpcErrors.For(ResultCode.AccountNotFound, $"No account has id {id}.");

    /// <summary>What a read of a transfer that does not exist is told; one message for both cases.</summary>
    public static RpcException TransferNotFound(Guid id) => GrpcErrors.For(ResultCode.TransferNotFound, $"No transfer has id {id}.");
}
