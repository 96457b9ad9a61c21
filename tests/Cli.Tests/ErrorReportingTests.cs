using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Status = Grpc.Core.Status;
using Grpc.Core;
using Payments.Contracts;
using Payments.Contracts.LedgerV1;

namespace Payments.Cli.Tests;

public sealed class ErrorReportingTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.ResourceExhausted)]
    public void A_call_whose_outcome_is_unknown_names_its_request_id_and_how_to_retry(StatusCode status)
    {
        var (lines, exitCode) = ErrorReporting.Describe(new RpcException(new Status(status, "no answer")), "r-42");

        Assert.Equal(ErrorReporting.OutcomeUnknown, exitCode);
        Assert.Contains(lines, line => line.Contains("--request-id r-42", StringComparison.Ordinal));
    }

    [Fact]
    public void A_refused_call_is_an_error_and_still_names_its_request_id()
    {
        var (lines, exitCode) = ErrorReporting.Describe(new RpcException(new Status(StatusCode.InvalidArgument, "bad")), "r-42");

        Assert.Equal(ErrorReporting.Failed, exitCode);
        Assert.Equal(["error: InvalidArgument: bad", "request_id r-42"], lines);
    }

    [Theory]
    [InlineData(ResultCode.RateLimited)]
    [InlineData(ResultCode.RequestTooLarge)]
    public void A_call_refused_for_its_rate_or_size_was_not_applied(ResultCode code)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)StatusCode.ResourceExhausted,
            Message = "refused",
            Details = { Any.Pack(new ErrorInfo { Reason = code.Reason(), Domain = "payments.example.io" }) },
        };

        var (lines, exitCode) = ErrorReporting.Describe(status.ToRpcException(), "r-42");

        Assert.Equal(ErrorReporting.Failed, exitCode);
        Assert.Equal([$"error: ResourceExhausted {code.Reason()}: refused", "request_id r-42"], lines);
    }

    [Fact]
    public void A_read_that_failed_has_no_request_id_to_report()
    {
        var (lines, exitCode) = ErrorReporting.Describe(new RpcException(new Status(StatusCode.Unavailable, "down")), null);

        Assert.Equal(ErrorReporting.Failed, exitCode);
        Assert.Equal(["error: Unavailable: down"], lines);
    }
}
