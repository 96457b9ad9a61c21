using System.Net;
using System.Text.Json;
using Payments.Testing;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>The Ledger's side of Dapr's subscription contract, over real HTTP into the running process.</summary>
public sealed class DaprSubscriptionContractTests(DaprLedger fixture) : IClassFixture<DaprLedger>
{
    [Fact]
    public async Task SubscribeEndpointListsTheIntentAndSettlementTopicsWithTheirRoutesAndDeadLetterTopics()
    {
        using var response = await fixture.Http.GetAsync(new Uri("/dapr/subscribe", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        // The sidecar reads these names case-insensitively (Go's encoding/json) and routes relative to the app.
        var subscriptions = document.RootElement.EnumerateArray()
            .Select(s => (Attribute(s, "pubsubname"), Attribute(s, "topic"), Attribute(s, "route")?.TrimStart('/'), Attribute(s, "deadLetterTopic")))
            .OrderBy(s => s.Item2)
            .ToList();
        Assert.Equal(
            [
                ("pubsub", "payments", "dapr/events/payments", "payments-deadletter"),
                ("pubsub", "settlement", "dapr/events/settlement", "settlement-deadletter"),
            ],
            subscriptions);
    }

    [Fact]
    public async Task ASettlementResultIsRelayedIntoTheIntentsOnceUnderItsOwnId()
    {
        // The settlement relay copies a rail's result into the payments topic, where the writer reads it.
        var payout = Guid.NewGuid();
        var eventId = Guid.NewGuid();
        var result = new Payments.Contracts.EventsV1.SettlementFailed
        {
            PaymentId = payout.ToString(), Ledger = "main", Rail = "sandbox", Code = Payments.Contracts.LedgerV1.ResultCode.SettlementDeclined,
        };
        var body = DaprDeliveries.CloudEvent(result, eventId, payout.ToString(), topic: "settlement").ToJsonString();

        var (_, first) = await DaprDeliveries.DeliverAsync(fixture.Http, body, "/dapr/events/settlement");
        var (_, again) = await DaprDeliveries.DeliverAsync(fixture.Http, body, "/dapr/events/settlement");

        Assert.Equal(("SUCCESS", "SUCCESS"), (first, again));
        Assert.Equal(1L, await fixture.Database.Owner.ScalarAsync<long>(
            "select count(*) from eventlog.events where topic = 'payments' and id = $1", eventId));
    }

    [Fact]
    public async Task DeliveredIntentsAreAppliedOnceAndARedeliveryIsASuccessfulNoOp()
    {
        var from = IntentEvents.OpenAccount();
        var to = IntentEvents.OpenAccount();
        var payment = IntentEvents.Pay(from.Id, to.Id, 250);
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, from.CloudEvent));
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, to.CloudEvent));
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, payment.CloudEvent));
        var outcomesBefore = await OutcomeCountAsync();

        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, payment.CloudEvent));
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, from.CloudEvent));

        var owner = fixture.Database.Owner;
        Assert.Equal(1L, await owner.ScalarAsync<long>("select count(*) from ledger.transfers where id = $1", payment.Id));
        Assert.Equal(2L, await owner.ScalarAsync<long>("select count(*) from ledger.entries where transfer_id = $1", payment.Id));
        Assert.Equal(250L, await owner.ScalarAsync<long>("select amount_minor from ledger.transfers where id = $1", payment.Id));
        Assert.Equal(1L, await owner.ScalarAsync<long>("select count(*) from ledger.accounts where id = $1", from.Id));
        Assert.Equal(outcomesBefore, await OutcomeCountAsync());
        // The trace context of the delivered event is what the ledger keeps on the transfer.
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736",
            await owner.ScalarAsync<string>("select trace_id from ledger.transfers where id = $1", payment.Id));
        await LedgerInvariants.AssertHoldAsync(owner);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("""{"specversion":"1.0","type":"events.v1.PaymentRequested","source":"payments-api","partitionkey":"main","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"not-a-uuid","type":"events.v1.PaymentRequested","source":"payments-api","partitionkey":"main","data":{}}""")]
    [InlineData("""{"specversion":"0.3","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","type":"events.v1.PaymentRequested","source":"payments-api","partitionkey":"main","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","source":"payments-api","partitionkey":"main","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","type":"events.v1.PaymentRequested","source":"payments-api","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","type":"events.v1.PaymentRequested","source":"payments-api","partitionkey":"main","data":"e30="}""")]
    [InlineData("""{"specversion":"1.0","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","type":"events.v1.PaymentRequested","source":"payments-api","partitionkey":"main","data_base64":"e30="}""")]
    [InlineData("""{"specversion":"1.0","id":"6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01","type":"events.v1.PaymentRequested","source":"payments-api","partitionkey":"main","datacontenttype":"application/xml","data":{}}""")]
    public async Task AMalformedCloudEventIsDroppedAndWritesNothing(string body)
    {
        var rejectionsBefore = await fixture.Database.Owner.ScalarAsync<long>("select count(*) from ledger.rejections");

        var (http, status) = await DaprDeliveries.DeliverAsync(fixture.Http, body);

        Assert.Equal(HttpStatusCode.OK, http);
        Assert.Equal("DROP", status);
        Assert.Equal(rejectionsBefore, await fixture.Database.Owner.ScalarAsync<long>("select count(*) from ledger.rejections"));
    }

    [Fact]
    public async Task AnIntentWhosePayloadDoesNotParseIsRecordedAsRejectedNotDropped()
    {
        // A well-formed CloudEvent with a bad payload is the publisher's mistake about one intent: the ledger
        // records its outcome (a rejection), which is what the embedded transport does with it too.
        var (id, cloudEvent) = IntentEvents.OpenAccount();
        cloudEvent["data"]!["currency"] = 42;

        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, cloudEvent));
        Assert.Equal(1L, await fixture.Database.Owner.ScalarAsync<long>(
            "select count(*) from ledger.rejections where event_id = $1", IntentIds.IntentEvent(id)));
    }

    private static string? Attribute(JsonElement subscription, string name) =>
        subscription.EnumerateObject().SingleOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value
            is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private Task<long> OutcomeCountAsync() =>
        fixture.Database.Owner.ScalarAsync<long>("select count(*) from eventlog.events where topic = 'ledger'");
}
