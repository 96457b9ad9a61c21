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
        catch (NpgsqlException exception) when (exception.IsTransient || exception.InnerException is System.Net.Sockets.SocketException)
        {
            logger.LogWarning(exception, "Database unavailable during {Method}", context.Method);
            throw GrpcErrors.For(ResultCode.DatabaseUnavailable, "The database is unavailable; retry with the same request_id.");
        }
    }
}
