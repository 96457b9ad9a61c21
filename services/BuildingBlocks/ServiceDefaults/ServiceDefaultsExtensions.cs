using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Postgres;
using Payments.ServiceDefaults.Security;
using Payments.ServiceDefaults.Telemetry;

namespace Payments.ServiceDefaults;

/// <summary>The wiring every gRPC service of the platform starts with.</summary>
public static class ServiceDefaultsExtensions
{
    // Payments and queries are small; anything larger is a mistake or an attack.
    private const int MessageSizeMaxBytes = 4 * 1024 * 1024;

    /// <summary>Telemetry, authentication, gRPC with authorization, rate limits, error mapping, malformed-request and broken-framing refusal, health checks and reflection.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        // gRPC needs HTTP/2; without TLS there is no ALPN to negotiate it, so every endpoint speaks it only.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));

        TransportSecurity.RefusePlaintextIfRequired(builder);
        builder.AddPaymentsTelemetry();
        builder.AddPaymentsAuthentication();
        builder.Services.AddSingleton(builder.Configuration.GetSection(RateLimitSettings.Section).Get<RateLimitSettings>() ?? new RateLimitSettings());
        builder.Services.AddSingleton<RateLimitInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MessageSizeMaxBytes;
            grpc.MaxSendMessageSize = MessageSizeMaxBytes;
            grpc.CompressionProviders = RequestFraming.BoundedProviders(MessageSizeMaxBytes);

            // Order matters: who is calling and may they, then how often, then the call itself.
            grpc.Interceptors.Add<CallAuthorizationInterceptor>();
            grpc.Interceptors.Add<RateLimitInterceptor>();
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<PostgresHealthCheck>("postgres");

        // Last, after every AddGrpc: bytes that do not parse are INVALID_ARGUMENT, not the framework's UNKNOWN.
        builder.Services.RefuseMalformedRequests();
        return builder;
    }

    /// <summary>Checks every call's framing, then maps the standard gRPC health service and server reflection.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseRequestFramingChecks();
        app.UseAuthentication();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
