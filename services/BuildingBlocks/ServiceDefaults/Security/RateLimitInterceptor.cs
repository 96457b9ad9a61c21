using System.Threading.RateLimiting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Payments.Contracts.LedgerV1;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// One token bucket per principal, so a principal that floods the service is answered RESOURCE_EXHAUSTED
/// (RATE_LIMITED) while every other principal is still served. It runs after authentication: the
/// principal is the token's subject, which a caller cannot choose freely.
/// </summary>
public sealed class RateLimitInterceptor : Interceptor, IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    /// <summary>Buckets sized by <paramref name="settings"/>.</summary>
    public RateLimitInterceptor(RateLimitSettings settings) =>
        limiter = PartitionedRateLimiter.Create<string, string>(principal => RateLimitPartition.GetTokenBucketLimiter(principal, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.BurstMax,
                TokensPerPeriod = settings.CallsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, responseStream, context);
    }

    /// <inheritdoc />
    public void Dispose() => limiter.Dispose();

    private void Admit(ServerCallContext context)
    {
        // Health and reflection carry no principal; the authorization interceptor admitted only those.
        if (CallerPrincipal.Subject(context) is not { } principal)
        {
            return;
        }

        using var lease = limiter.AttemptAcquire(principal);
        if (!lease.IsAcquired)
        {
            throw GrpcErrors.For(ResultCode.RateLimited, $"Principal '{principal}' exceeded its rate limit; retry later with the same request_id.");
        }
    }
}
