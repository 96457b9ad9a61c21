using System.CommandLine;
using Google.Rpc;
using Grpc.Core;
using Payments.Cli.Commands;
using Payments.Contracts;
using Payments.Contracts.LedgerV1;

namespace Payments.Cli;

/// <summary>
/// Turns failures into readable lines on stderr and an exit code: 2 for an error, 3 when a mutating
/// call's outcome is unknown (it may have been applied), with the request id that retries it safely.
/// </summary>
/// <remarks><see cref="ExitCodes"/> is the list <c>--help</c> prints.</remarks>
internal static class ErrorReporting
{
    /// <summary>The exit code of a call that failed for certain.</summary>
    public const int Failed = 2;

    /// <summary>The exit code of a mutating call whose outcome is unknown: retry it with the request id printed.</summary>
    public const int OutcomeUnknown = 3;

    /// <summary>Every exit code, as <c>--help</c> explains them.</summary>
    public const string ExitCodes = """
        Exit codes: 0 done; 1 an audit or verification found the ledger unsound; 2 an error, nothing was
        changed; 3 the outcome of a change is unknown: run the same command with the --request-id printed.
        """;

    public static async Task<int> InvokeAsync(ParseResult parse)
    {
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (RpcException exception)
        {
            var (lines, code) = Describe(exception, RequestIds.Sent);
            foreach (var line in lines)
            {
                await Console.Error.WriteLineAsync(line);
            }

            return code;
        }
        catch (FormatException exception)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return Failed;
        }
    }

    /// <summary>What to print for <paramref name="exception"/> and the exit code, given the request id the call sent.</summary>
    public static (IReadOnlyList<string> Lines, int ExitCode) Describe(RpcException exception, string? requestId)
    {
        var reason = exception.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
        var error = $"error: {exception.StatusCode}{(reason is null ? "" : " " + reason)}: {exception.Status.Detail}";
        if (requestId is null)
        {
            return ([error], Failed);
        }

        // Without its request id a retry is a new payment; with it, the server answers with the original.
        return MayHaveBeenApplied(exception.StatusCode, reason)
            ? ([error, $"request_id {requestId}: the outcome is unknown; run the same command with --request-id {requestId} to retry it safely"], OutcomeUnknown)
            : ([error, $"request_id {requestId}"], Failed);
    }

    // OUTCOME_PENDING (accepted, not yet decided) is UNAVAILABLE too: a retry with the id returns the payment.
    // A rate limit or a request too large is refused before anything is written, unlike a client-side
    // RESOURCE_EXHAUSTED (an answer too large to read), which carries no reason of the platform's.
    private static bool MayHaveBeenApplied(StatusCode status, string? reason) =>
        status is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted
            or StatusCode.Cancelled or StatusCode.Unknown or StatusCode.Internal
        && reason != ResultCode.RateLimited.Reason() && reason != ResultCode.RequestTooLarge.Reason();
}
