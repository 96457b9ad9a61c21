using System.Text.Json;
using Dapr.Client;
using Microsoft.Extensions.Options;
using Payments.EventBus.Dapr.Tests.Sidecar;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>What the publisher sends to the sidecar's gRPC API, read back from a sidecar on loopback.</summary>
public sealed class DaprPublishContractTests : IAsyncLifetime
{
    private TestDaprSidecar sidecar = null!;
    private DaprClient client = null!;

    public async Task InitializeAsync()
    {
        sidecar = await TestDaprSidecar.StartAsync();
        client = new DaprClientBuilder().UseGrpcEndpoint(sidecar.GrpcEndpoint).Build();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await sidecar.DisposeAsync();
    }

    [Fact]
    public async Task EachEventIsPublishedInOrderWithPubSubTopicPartitionKeyAndItsOwnId()
    {
        var publisher = new DaprEventPublisher(client, Options.Create(new DaprEventBusOptions { PubSubName = "kafka-pubsub" }));
        var first = Envelope("main", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        var second = Envelope("eur-book", null);

        var fresh = await publisher.PublishAsync("payments", [first, second], CancellationToken.None);

        Assert.Null(fresh);
        var published = sidecar.Published.ToArray();
        Assert.Equal(2, published.Length);
        for (var i = 0; i < 2; i++)
        {
            var envelope = i == 0 ? first : second;
            Assert.Equal("kafka-pubsub", published[i].PubsubName);
            Assert.Equal("payments", published[i].Topic);
            Assert.Equal("application/cloudevents+json", published[i].DataContentType);
            Assert.Equal(envelope.PartitionKey, published[i].Metadata["partitionKey"]);
            Assert.Equal(envelope.Id.ToString(), published[i].Metadata["cloudevent.id"]);
            Assert.Equal(envelope.Type, published[i].Metadata["cloudevent.type"]);
            Assert.Equal(envelope.Source, published[i].Metadata["cloudevent.source"]);
            using var body = JsonDocument.Parse(published[i].Data.Memory);
            Assert.Equal(envelope, CloudEventJson.TryParse(body.RootElement, DateTimeOffset.MinValue));
        }

        Assert.Equal(first.TraceParent, published[0].Metadata["cloudevent.traceparent"]);
        Assert.False(published[1].Metadata.ContainsKey("cloudevent.traceparent"));
    }

    [Fact]
    public async Task ARePublishCarriesTheSameEventId()
    {
        var publisher = new DaprEventPublisher(client, Options.Create(new DaprEventBusOptions()));
        var envelope = Envelope("main", null);

        await publisher.PublishAsync("ledger", [envelope], CancellationToken.None);
        await publisher.PublishAsync("ledger", [envelope], CancellationToken.None);

        Assert.All(sidecar.Published, p => Assert.Equal(envelope.Id.ToString(), p.Metadata["cloudevent.id"]));
        Assert.Equal(2, sidecar.Published.Count);
    }

    [Fact]
    public async Task ARefusalBySidecarFailsThePublish()
    {
        var publisher = new DaprEventPublisher(client, Options.Create(new DaprEventBusOptions()));
        sidecar.RefuseNext(1);

        await Assert.ThrowsAnyAsync<global::Dapr.DaprException>(() => publisher.PublishAsync("ledger", [Envelope("main", null)], CancellationToken.None));
        Assert.Empty(sidecar.Published);
    }

    private static EventEnvelope Envelope(string partitionKey, string? traceParent)
    {
        var id = Guid.NewGuid();
        return new EventEnvelope(id, "events.v1.AccountOpened", "ledger", id.ToString(), partitionKey,
            new DateTimeOffset(2026, 11, 24, 10, 15, 30, 123, TimeSpan.Zero), traceParent, """{"accountId":"a","ledger":"main"}""");
    }
}
