using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Payments.ServiceDefaults.Telemetry;

/// <summary>OpenTelemetry traces and metrics for every service, exported over OTLP when configured.</summary>
public static class TelemetryExtensions
{
    /// <summary>
    /// Traces incoming gRPC calls, PostgreSQL commands and every <c>Payments.*</c> activity source (the
    /// ledger writer continues the API request's trace from the event's traceparent).
    /// </summary>
    public static WebApplicationBuilder AddPaymentsTelemetry(this WebApplicationBuilder builder)
    {
        // The exporter is switched on by the standard OTEL_EXPORTER_OTLP_ENDPOINT variable, so a
        // laptop run without a collector does not spend time on failed exports. Sampling follows the
        // standard OTEL_TRACES_SAMPLER variables.
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(PaymentsActivitySources.NamePattern)
                    .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = IsNotHealthProbe);

                // A span per database command is worth its cost only where spans go somewhere. Requests
                // and the platform's own activities are always traced: their trace id is stored with
                // every transfer.
                if (exporting)
                {
                    tracing.AddNpgsql();
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(PaymentsActivitySources.NamePattern)
                .AddAspNetCoreInstrumentation());

        if (exporting)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsNotHealthProbe(Microsoft.AspNetCore.Http.HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal);
}
