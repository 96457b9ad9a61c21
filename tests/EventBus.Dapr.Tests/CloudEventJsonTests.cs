using System.Text.Json;

namespace Payments.EventBus.Dapr.Tests;

public sealed class CloudEventJsonTests
{
    [Fact]
    public void AnEnvelopeSurvivesTheRoundTripIncludingSubjectTimeAndPartitionKey()
    {
        var envelope = new EventEnvelope(Guid.NewGuid(), "events.v1.PaymentRequested", "payments-api", "p-1", "main",
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            """{"paymentId":"p-1","amountMinor":"5"}""");

        using var document = JsonDocument.Parse(CloudEventJson.Serialize(envelope));

        Assert.Equal(envelope, CloudEventJson.TryParse(document.RootElement, DateTimeOffset.MinValue));
        Assert.Equal("1.0", document.RootElement.GetProperty("specversion").GetString());
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("data").ValueKind);
    }

    [Fact]
    public void TheEnvelopesOwnTraceparentSurvivesTheSidecarReplacingTraceparent()
    {
        const string published = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        const string sidecars = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var envelope = new EventEnvelope(Guid.NewGuid(), "t", "s", "p-1", "main", DateTimeOffset.UnixEpoch, published, "{}");
        var delivered = System.Text.Json.Nodes.JsonNode.Parse(CloudEventJson.Serialize(envelope))!.AsObject();
        delivered["traceparent"] = sidecars;
        delivered["traceid"] = sidecars;

        using var document = JsonDocument.Parse(delivered.ToJsonString());

        Assert.Equal(published, CloudEventJson.TryParse(document.RootElement, DateTimeOffset.MinValue)!.TraceParent);
    }

    [Fact]
    public void AnEventPublishedWithoutTheEnvelopesTraceparentKeepsTheSidecars()
    {
        using var document = JsonDocument.Parse(
            """{"specversion":"1.0","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","type":"t","source":"s","partitionkey":"main","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","data":{}}""");

        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", CloudEventJson.TryParse(document.RootElement, DateTimeOffset.MinValue)!.TraceParent);
    }

    [Fact]
    public void AnEventWithoutTimeIsDatedWhenItArrived()
    {
        var receivedAt = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);
        using var document = JsonDocument.Parse(
            """{"specversion":"1.0","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","type":"t","source":"s","partitionkey":"main","data":{}}""");

        var envelope = CloudEventJson.TryParse(document.RootElement, receivedAt);

        Assert.NotNull(envelope);
        Assert.Equal(receivedAt, envelope.Time);
        Assert.Equal(string.Empty, envelope.Subject);
        Assert.Null(envelope.TraceParent);
    }

    [Fact]
    public void ATimeThatDoesNotParseMakesTheEventUnreadable()
    {
        using var document = JsonDocument.Parse(
            """{"specversion":"1.0","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","type":"t","source":"s","partitionkey":"main","time":"yesterday","data":{}}""");

        Assert.Null(CloudEventJson.TryParse(document.RootElement, DateTimeOffset.UtcNow));
    }
}
