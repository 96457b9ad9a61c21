using Google.Rpc;
using Grpc.Core;
using Payments.Contracts;
using Payments.Contracts.LedgerV1;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Tests;

public sealed class GrpcErrorsTests
{
    public static TheoryData<ResultCode> Refusals()
    {
        var codes = new TheoryData<ResultCode>();
        foreach (var code in Enum.GetValues<ResultCode>().Where(c => c is not (ResultCode.Unspecified or ResultCode.Ok)))
        {
            codes.Add(code);
        }

        return codes;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Every_code_becomes_a_status_with_exactly_one_error_info_carrying_its_reason(ResultCode code)
    {
        var error = GrpcErrors.For(code, "message", new Dictionary<string, string> { ["payment_id"] = "p" });

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.NotEqual(StatusCode.Unknown, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        var info = Assert.Single(status.Details).Unpack<ErrorInfo>();
        Assert.Equal(code.Reason(), info.Reason);
        Assert.Equal(GrpcErrors.Domain, info.Domain);
        Assert.Equal("p", info.Metadata["payment_id"]);
        Assert.Matches("^[A-Z][A-Z_]+$", info.Reason);
        Assert.Equal(code, ResultCodeReasons.FromReason(info.Reason));
    }

    [Theory]
    [InlineData(ResultCode.ExceedsCredits, StatusCode.FailedPrecondition)]
    [InlineData(ResultCode.AccountFrozen, StatusCode.FailedPrecondition)]
    [InlineData(ResultCode.AlreadyPosted, StatusCode.FailedPrecondition)]
    [InlineData(ResultCode.PendingTransferExpired, StatusCode.FailedPrecondition)]
    [InlineData(ResultCode.ExceedsReversibleAmount, StatusCode.FailedPrecondition)]
    [InlineData(ResultCode.AccountNotFound, StatusCode.NotFound)]
    [InlineData(ResultCode.PendingTransferNotFound, StatusCode.NotFound)]
    [InlineData(ResultCode.ReversalTargetNotFound, StatusCode.NotFound)]
    [InlineData(ResultCode.ExistsWithDifferentAmount, StatusCode.AlreadyExists)]
    [InlineData(ResultCode.RequestIdRequired, StatusCode.InvalidArgument)]
    [InlineData(ResultCode.Overflow, StatusCode.OutOfRange)]
    [InlineData(ResultCode.DatabaseUnavailable, StatusCode.Unavailable)]
    [InlineData(ResultCode.InternalInconsistency, StatusCode.Internal)]
    public void Codes_map_to_the_status_a_client_acts_on(ResultCode code, StatusCode expected) =>
        Assert.Equal(expected, GrpcErrors.StatusOf(code));
}
