using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Payments.EventBus.Dapr.Tests.Sidecar;

/// <summary>
/// The sidecar's push side for one topic: events in publish order (one Kafka partition), each POSTed to
/// the app's route as Dapr delivers it, the next only after the app answered. RETRY is redelivered, DROP
/// goes to the dead letters, SUCCESS moves on; a bounded number of redeliveries, then the event counts
/// as failed rather than blocking the test forever.
/// </summary>
internal sealed class AppDelivery(string pubSubName, string topic) : IAsyncDisposable
{
    private const int AttemptsMax = 200;
    private static readonly TimeSpan RedeliveryDelay = TimeSpan.FromMilliseconds(50);

    private readonly Channel<byte[]> pending = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;

    private int succeeded;
    private int deadLettered;
    private int failed;

    public int Succeeded => Volatile.Read(ref succeeded);

    public int DeadLettered => Volatile.Read(ref deadLettered);

    public int Failed => Volatile.Read(ref failed);

    /// <summary>Queues a published CloudEvent for delivery.</summary>
    public void Enqueue(byte[] cloudEvent) => pending.Writer.TryWrite(cloudEvent);

    /// <summary>Starts delivering to <paramref name="app"/> at <paramref name="route"/>, queued events first.</summary>
    public void Start(Uri app, string route) => loop = Task.Run(() => DeliverAllAsync(app, route));

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-delivery.
        }

        stop.Dispose();
    }

    private async Task DeliverAllAsync(Uri app, string route)
    {
        using var client = DaprDeliveries.Client(app);
        await foreach (var published in pending.Reader.ReadAllAsync(stop.Token))
        {
            var body = AsDelivered(published);
            for (var attempt = 1; ; attempt++)
            {
                var (_, status) = await DaprDeliveries.DeliverAsync(client, body, route);
                if (status == "SUCCESS")
                {
                    Interlocked.Increment(ref succeeded);
                    break;
                }

                if (status == "DROP")
                {
                    Interlocked.Increment(ref deadLettered);
                    break;
                }

                if (attempt == AttemptsMax)
                {
                    Interlocked.Increment(ref failed);
                    break;
                }

                await Task.Delay(RedeliveryDelay, stop.Token);
            }
        }
    }

    // A CloudEvent published as application/cloudevents+json reaches the app with the attributes the
    // sidecar adds, and with the trace attributes replaced by its own publish span's context, as Dapr's
    // FromCloudEvent does whatever the publisher wrote.
    private string AsDelivered(byte[] published)
    {
        var cloudEvent = JsonNode.Parse(published)!.AsObject();
        cloudEvent["topic"] = topic;
        cloudEvent["pubsubname"] = pubSubName;
        cloudEvent["traceid"] = DaprDeliveries.TraceParent;
        cloudEvent["traceparent"] = DaprDeliveries.TraceParent;
        cloudEvent["tracestate"] = "";
        return cloudEvent.ToJsonString();
    }
}
