using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.EventBus.Postgres;

namespace Payments.EventBus.Dapr;

/// <summary>
/// Switches a service to the Dapr transport when <c>EventBus:Transport</c> is <c>dapr</c>, and does
/// nothing otherwise. Call it after the service's own wiring, which registers the PostgreSQL transport:
/// the log stays the outbox and the record of what was published (ADR 0021); only subscriptions move
/// to the sidecar's push, and the relays forward the outbox topics.
/// </summary>
public static class DaprEventBusExtensions
{
    /// <summary>Registers the Dapr transport for <paramref name="topology"/> if configuration selects it.</summary>
    public static WebApplicationBuilder AddEventBusTransport(this WebApplicationBuilder builder, DaprTopology topology)
    {
        if (!EventBusTransport.IsDapr(builder.Configuration))
        {
            return builder;
        }

        var section = builder.Configuration.GetSection("EventBus:Dapr");
        builder.Services.AddOptions<DaprEventBusOptions>().Bind(section);
        var grpcEndpoint = section[nameof(DaprEventBusOptions.GrpcEndpoint)];
        builder.Services.AddDaprClient(client =>
        {
            if (!string.IsNullOrEmpty(grpcEndpoint))
            {
                client.UseGrpcEndpoint(grpcEndpoint);
            }
        });
        builder.Services.AddSingleton(topology);
        builder.Services.AddSingleton<DaprEventPublisher>();
        builder.Services.AddSingleton<DaprEventSubscriber>();
        // Registered last, so it replaces the log's subscriber for whoever asks for the port.
        builder.Services.AddSingleton<IEventSubscriber>(provider => provider.GetRequiredService<DaprEventSubscriber>());
        builder.Services.AddSingleton<DaprDeliveryEndpoint>();
        if (topology.RelayedTopics.Count > 0)
        {
            builder.Services.AddSingleton<PostgresEventSubscriber>();
            builder.Services.AddHostedService<DaprOutboxRelay>();
        }

        return builder;
    }

    /// <summary>Maps <c>GET /dapr/subscribe</c> and one delivery route per subscribed topic, under Dapr only.</summary>
    public static WebApplication MapEventBusTransport(this WebApplication app)
    {
        if (!EventBusTransport.IsDapr(app.Configuration))
        {
            return app;
        }

        var topology = app.Services.GetRequiredService<DaprTopology>();
        var pubSubName = app.Services.GetRequiredService<IOptions<DaprEventBusOptions>>().Value.PubSubName;
        app.MapSubscribeHandler();
        foreach (var subscription in topology.Subscriptions)
        {
            var topic = subscription.Topic;
            app.MapPost(subscription.Route, (HttpRequest request, DaprDeliveryEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.HandleAsync(topic, request, cancellationToken))
                .WithTopic(new TopicOptions { PubsubName = pubSubName, Name = topic, DeadLetterTopic = subscription.DeadLetterTopic });
        }

        return app;
    }
}
