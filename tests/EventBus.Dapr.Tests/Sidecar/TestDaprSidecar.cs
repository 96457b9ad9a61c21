using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Payments.EventBus.Dapr.Tests.Sidecar;

/// <summary>
/// A Dapr sidecar's publish API on loopback (Kestrel, HTTP/2 cleartext, as the sidecar serves it to its
/// app). It records every publish and can refuse the next ones as UNAVAILABLE, like a sidecar whose
/// broker is down.
/// </summary>
public sealed class TestDaprSidecar : IAsyncDisposable
{
    private WebApplication app = null!;
    private int refusalsLeft;
    private int refused;

    private readonly ConcurrentDictionary<string, AppDelivery> deliveries = new();

    /// <summary>Every publish accepted so far, in arrival order.</summary>
    public ConcurrentQueue<PublishEventRequest> Published { get; } = new();

    /// <summary>How many publishes were refused so far.</summary>
    public int Refused => refused;

    /// <summary>The gRPC address to give the Dapr client.</summary>
    public string GrpcEndpoint { get; private set; } = null!;

    /// <summary>Starts a sidecar on a port the OS picks.</summary>
    public static async Task<TestDaprSidecar> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var sidecar = new TestDaprSidecar();
        builder.Services.AddSingleton(sidecar);
        var app = builder.Build();
        sidecar.app = app;
        app.MapGrpcService<PublishService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        sidecar.GrpcEndpoint = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return sidecar;
    }

    /// <summary>
    /// Pushes what is published to <paramref name="topic"/> (before and after this call) to
    /// <paramref name="app"/>'s <paramref name="route"/>, as the sidecar of a subscribed app does.
    /// </summary>
    public void Subscribe(string topic, Uri app, string route) => DeliveryOf("pubsub", topic).Start(app, route);

    /// <summary>Deliveries of <paramref name="topic"/> answered SUCCESS, DROP, or given up on.</summary>
    public (int Succeeded, int DeadLettered, int Failed) DeliveryCounts(string topic)
    {
        var delivery = DeliveryOf("pubsub", topic);
        return (delivery.Succeeded, delivery.DeadLettered, delivery.Failed);
    }

    /// <summary>Answers the next <paramref name="count"/> publishes with UNAVAILABLE.</summary>
    public void RefuseNext(int count) => Interlocked.Exchange(ref refusalsLeft, count);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var delivery in deliveries.Values)
        {
            await delivery.DisposeAsync();
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }

    private bool TryAccept(PublishEventRequest request)
    {
        if (Interlocked.Decrement(ref refusalsLeft) >= 0)
        {
            Interlocked.Increment(ref refused);
            return false;
        }

        Interlocked.Exchange(ref refusalsLeft, 0);
        Published.Enqueue(request);
        DeliveryOf(request.PubsubName, request.Topic).Enqueue(request.Data.ToByteArray());
        return true;
    }

    private AppDelivery DeliveryOf(string pubSubName, string topic) =>
        deliveries.GetOrAdd(topic, _ => new AppDelivery(pubSubName, topic));

    private sealed class PublishService(TestDaprSidecar sidecar) : Dapr.DaprBase
    {
        public override Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context)
        {
            return sidecar.TryAccept(request)
                ? Task.FromResult(new Empty())
                : throw new RpcException(new Status(StatusCode.Unavailable, "the broker is down (test)"));
        }
    }
}
