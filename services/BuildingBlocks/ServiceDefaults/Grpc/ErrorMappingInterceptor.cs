using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// Turns infrastructure failures into statuses a client can act on: a database that cannot be reached
/// is UNAVAILABLE (retry later, with the same request_id), not an opaque internal error.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, context);
        }
    }

    /// <inheritdoc />
    /// <remarks>A watch reads the database while it streams, so an outage mid-stream is the same UNAVAILABLE.</remarks>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, context);
        }
    }

    private static bool IsUnavailable(NpgsqlException exception) =>
        exception.IsTransient || exception.InnerException is System.Net.Sockets.SocketException;

    private RpcException Unavailable(NpgsqlException exception, ServerCallContext context)
    {
        logger.LogWarning(exception, "Database unavailable during {Method}", context.Method);
        return GrpcErrors.For(ResultCode.DatabaseUnavailable, "The database is unavailable; retry with the same request_id.");
    }
}
