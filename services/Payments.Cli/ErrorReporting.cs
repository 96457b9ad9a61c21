using System.CommandLine;
using Google.Rpc;
using Grpc.Core;

namespace Payments.Cli;

/// <summary>Turns failures into one readable line on stderr and a non-zero exit code.</summary>
internal static class ErrorReporting
{
    public static async Task<int> InvokeAsync(ParseResult parse)
    {
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (RpcException exception)
        {
            var reason = exception.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
            await Console.Error.WriteLineAsync(
                $"error: {exception.StatusCode}{(reason is null ? "" : " " + reason)}: {exception.Status.Detail}");
            return 2;
        }
        catch (FormatException exception)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return 2;
        }
    }
}
