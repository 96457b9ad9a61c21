using Microsoft.Extensions.Configuration;

namespace Payments.EventBus.Dapr;

/// <summary>Which transport carries the event bus: <c>EventBus:Transport</c> = <c>postgres</c> (default) or <c>dapr</c>.</summary>
public static class EventBusTransport
{
    /// <summary>The configuration key.</summary>
    public const string ConfigurationKey = "EventBus:Transport";

    /// <summary>The embedded transport: the PostgreSQL event log.</summary>
    public const string Postgres = "postgres";

    /// <summary>The Kubernetes transport: Kafka through Dapr sidecars.</summary>
    public const string Dapr = "dapr";

    /// <summary>True when <paramref name="configuration"/> selects Dapr; an unknown value fails start-up.</summary>
    public static bool IsDapr(IConfiguration configuration)
    {
        var value = configuration[ConfigurationKey] ?? Postgres;
        return value.ToLowerInvariant() switch
        {
            Postgres => false,
            Dapr => true,
            _ => throw new InvalidOperationException(
                $"{ConfigurationKey} is '{value}'; expected '{Postgres}' or '{Dapr}'."),
        };
    }
}
