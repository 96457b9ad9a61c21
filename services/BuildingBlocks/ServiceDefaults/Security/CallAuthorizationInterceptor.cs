using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Payments.Contracts.LedgerV1;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// The first thing every call meets: a validated token, then the method's scope (<see cref="MethodScopes"/>).
/// It runs before the handler, so a refused call reads and writes nothing.
/// </summary>
public sealed class CallAuthorizationInterceptor : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private static void Authorize(ServerCallContext context)
    {
        if (MethodScopes.IsAnonymous(context.Method))
        {
            return;
        }

        if (CallerPrincipal.Subject(context) is null)
        {
            // A header that is present but did not validate is TOKEN_INVALID; none at all is UNAUTHENTICATED.
            var presented = context.GetHttpContext().Request.Headers.Authorization.Count > 0;
            throw presented
                ? GrpcErrors.For(ResultCode.TokenInvalid, "The bearer token is not valid (signature, algorithm, issuer, audience or lifetime).")
                : GrpcErrors.For(ResultCode.Unauthenticated, "The call needs a bearer token in the authorization header.");
        }

        if (!MethodScopes.Required.TryGetValue(context.Method, out var scope))
        {
            throw GrpcErrors.For(ResultCode.ScopeMissing, $"No scope grants {context.Method}.");
        }

        if (!CallerPrincipal.HasScope(context, scope))
        {
            throw GrpcErrors.For(ResultCode.ScopeMissing, $"{context.Method} needs the scope '{scope}'.",
                new Dictionary<string, string> { ["scope"] = scope });
        }
    }
}
