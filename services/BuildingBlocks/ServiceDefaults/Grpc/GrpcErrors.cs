using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Payments.Contracts;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// Builds errors in the AIP-193 shape: a google.rpc.Status with exactly one ErrorInfo whose reason is
/// the result code. The gRPC status code follows from the result code, so every service agrees.
/// </summary>
public static class GrpcErrors
{
    /// <summary>The ErrorInfo domain of every error the platform raises.</summary>
    public const string Domain = "payments.example.io";

    /// <summary>An exception carrying <paramref name="code"/> as its reason.</summary>
    public static RpcException For(ResultCode code, string message, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var info = new ErrorInfo { Reason = code.Reason(), Domain = Domain };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                info.Metadata[key] = value;
            }
        }

        var status = new Google.Rpc.Status
        {
            Code = (int)StatusOf(code),
            Message = message,
            Details = { Any.Pack(info) },
        };
        return status.ToRpcException();
    }

    /// <summary>Throws <see cref="For"/>; for guard clauses.</summary>
    [DoesNotReturn]
    public static void Throw(ResultCode code, string message) => throw For(code, message);

    /// <summary>The gRPC status code a result code is reported with.</summary>
    public static StatusCode StatusOf(ResultCode code) => code switch
    {
        ResultCode.DebitAccountNotFound or ResultCode.CreditAccountNotFound or ResultCode.AccountNotFound
            or ResultCode.TransferNotFound or ResultCode.PaymentNotFound or ResultCode.PayoutNotFound
            or ResultCode.PendingTransferNotFound or ResultCode.ReversalTargetNotFound => StatusCode.NotFound,
        // Refusals that depend on the ledger's state, not on the request's shape: the same request may pass later
        // or against other accounts, so a client must not treat it as malformed (gRPC's status code guide).
        ResultCode.CurrencyMismatch or ResultCode.ExceedsCredits or ResultCode.ExceedsDebits or ResultCode.HoldIsPayout
            or ResultCode.AccountFrozen or ResultCode.AccountClosed or ResultCode.PendingTransferExpired
            or ResultCode.AlreadyPosted or ResultCode.AlreadyVoided or ResultCode.ExceedsPendingAmount
            or ResultCode.ReversalTargetNotReversible or ResultCode.ExceedsReversibleAmount
            or ResultCode.SettlementDeclined or ResultCode.SettlementTimedOut or ResultCode.SettlementWindowClosed
            or ResultCode.SettlementAccountInvalid => StatusCode.FailedPrecondition,
        // Past the end, as reading beyond the end of a file: the same request succeeds once the ledger gets there.
        ResultCode.Overflow or ResultCode.LedgerSequenceAhead => StatusCode.OutOfRange,
        ResultCode.ExistsWithDifferentFields or ResultCode.ExistsWithDifferentAmount or ResultCode.ExistsWithDifferentDebitAccount
            or ResultCode.ExistsWithDifferentCreditAccount or ResultCode.ExistsWithDifferentCurrency
            or ResultCode.ExistsWithDifferentOwner or ResultCode.ExistsWithDifferentFlags => StatusCode.AlreadyExists,
        ResultCode.DatabaseUnavailable or ResultCode.OutcomePending => StatusCode.Unavailable,
        ResultCode.Unauthenticated or ResultCode.TokenInvalid => StatusCode.Unauthenticated,
        ResultCode.ScopeMissing or ResultCode.NotAccountOwner or ResultCode.NotPaymentOwner => StatusCode.PermissionDenied,
        ResultCode.RateLimited or ResultCode.RequestTooLarge => StatusCode.ResourceExhausted,
        ResultCode.Ok or ResultCode.Unspecified or ResultCode.InternalInconsistency => StatusCode.Internal,
        _ => StatusCode.InvalidArgument,
    };
}
