using Grpc.Core;

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

    [Fact]
    public void A_read_that_failed_has_no_request_id_to_report()
    {
        var (lines, exitCode) = ErrorReporting.Describe(new RpcException(new Status(StatusCode.Unavailable, "down")), null);

        Assert.Equal(ErrorReporting.Failed, exitCode);
        Assert.Equal(["error: Unavailable: down"], lines);
    }
}
