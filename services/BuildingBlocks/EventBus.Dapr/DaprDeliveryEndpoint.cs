using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Postgres;

namespace Payments.EventBus.Dapr;

/// <summary>
/// Handles one event the sidecar pushes. The answer follows Dapr's contract: SUCCESS only once the
/// handler's transaction has committed (a redelivery the handler recognises as done is a success too),
/// DROP for a body that is not a CloudEvent the platform can read (the sidecar dead-letters it), RETRY
/// when the database is unavailable for now or no handler runs here yet. Anything else is a server
/// error, which the sidecar also redelivers, but which shows up as one.
/// </summary>
public sealed class DaprDeliveryEndpoint(
    DaprEventSubscriber subscriber, IOptions<DaprEventBusOptions> options, ILogger<DaprDeliveryEndpoint> logger)
{
    /// <summary>Answers the delivery of <paramref name="request"/>'s event on <paramref name="topic"/>.</summary>
    public async Task<IResult> HandleAsync(string topic, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await ReadAsync(request, cancellationToken) is not { } envelope)
        {
            logger.LogWarning("Dropping a delivery on {Topic} that is not a readable CloudEvent", topic);
            return DaprDeliveryAnswer.Of(DaprDeliveryAnswer.Drop);
        }

        if (subscriber.Find(topic) is not { } subscription)
        {
            return DaprDeliveryAnswer.Of(DaprDeliveryAnswer.Retry);
        }

        try
        {
            await DeliverAsync(subscription, topic, envelope, cancellationToken);
            return DaprDeliveryAnswer.Of(DaprDeliveryAnswer.Success);
        }
        catch (Exception exception) when (TransientFailure.Is(exception))
        {
            logger.LogWarning(exception, "Event {EventId} on {Topic} failed for now; asking for a redelivery", envelope.Id, topic);
            return DaprDeliveryAnswer.Of(DaprDeliveryAnswer.Retry);
        }
    }

    private async Task DeliverAsync(
        ActiveSubscription subscription, string topic, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        await subscription.Gate.WaitAsync(cancellationToken);
        try
        {
            var progress = new DaprDeliveryProgress(subscription, envelope.Id, options.Value.WriterLockWaitMs);
            await subscription.Handler.HandleAsync(new EventBatch(topic, [envelope], progress), cancellationToken);
            if (progress.Generation is { } generation)
            {
                subscription.LastGeneration = generation;
            }
        }
        finally
        {
            subscription.Gate.Release();
        }
    }

    private static async Task<EventEnvelope?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return CloudEventJson.TryParse(document.RootElement, DateTimeOffset.UtcNow);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
