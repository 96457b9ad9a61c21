using Dapr.Client;
using Microsoft.Extensions.Options;

namespace Payments.EventBus.Dapr;

/// <summary>
/// Publishes through the Dapr sidecar. Events go one at a time, in order, each awaited: the sidecar
/// answers only once the broker has the event, and a later event of the same partition key must not
/// overtake an earlier one.
/// </summary>
public sealed class DaprEventPublisher(DaprClient dapr, IOptions<DaprEventBusOptions> options) : IEventPublisher
{
    /// <inheritdoc />
    /// <remarks>Returns null: a broker cannot tell a first publish from a re-publish.</remarks>
    public async Task<IReadOnlySet<Guid>?> PublishAsync(
        string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        foreach (var envelope in events)
        {
            await dapr.PublishByteEventAsync(options.Value.PubSubName, topic, CloudEventJson.Serialize(envelope),
                CloudEventJson.ContentType, DaprPublishMetadata.For(envelope), cancellationToken);
        }

        return null;
    }
}
