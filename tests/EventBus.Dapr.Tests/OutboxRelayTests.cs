using System.Text.Json;
using Payments.Testing;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>The Ledger's outcome events reach the sidecar, at least once, even when it refuses for a while.</summary>
public sealed class OutboxRelayTests(DaprLedger fixture) : IClassFixture<DaprLedger>
{
    private static readonly TimeSpan RelayTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnOutcomeIsPublishedWithItsLogIdPartitionKeyAndTopicAfterTheSidecarRefusedTwice()
    {
        fixture.Sidecar.RefuseNext(2);
        var account = IntentEvents.OpenAccount();
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, account.CloudEvent));
        var outcomeId = await fixture.Database.Owner.ScalarAsync<Guid>(
            "select id from eventlog.events where topic = 'ledger' and subject = $1", account.Id.ToString());

        await Eventually.WaitUntilAsync(
            () => Task.FromResult(fixture.Sidecar.Published.Any(p => p.Metadata.GetValueOrDefault("cloudevent.id") == outcomeId.ToString())),
            RelayTimeout, "the relay publishes the account's outcome");

        var published = fixture.Sidecar.Published.First(p => p.Metadata["cloudevent.id"] == outcomeId.ToString());
        Assert.Equal(2, fixture.Sidecar.Refused);
        Assert.Equal("pubsub", published.PubsubName);
        Assert.Equal("ledger", published.Topic);
        Assert.Equal("main", published.Metadata["partitionKey"]);
        Assert.Equal("application/cloudevents+json", published.DataContentType);
        using var cloudEvent = JsonDocument.Parse(published.Data.Memory);
        Assert.Equal(outcomeId.ToString(), cloudEvent.RootElement.GetProperty("id").GetString());
        Assert.Equal(account.Id.ToString(), cloudEvent.RootElement.GetProperty("subject").GetString());

        // The offset moves only after the publish: it ends at the log's head, not before.
        await Eventually.WaitUntilAsync(async () =>
                await fixture.Database.Owner.ScalarAsync<long>(
                    "select \"offset\" from eventlog.consumer_offsets where consumer = 'dapr-relay.ledger' and topic = 'ledger'")
                == await fixture.Database.Owner.ScalarAsync<long>("select max(seq) from eventlog.events where topic = 'ledger'"),
            RelayTimeout, "the relay records its offset at the head of the ledger topic");
    }
}
