using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Payments.EventBus.Postgres;

namespace Payments.EventBus.Dapr;

/// <summary>
/// Forwards topics of the PostgreSQL log (the outbox: the ledger's outcomes are written there in the
/// same transaction as the ledger rows) to Dapr, at least once. Each topic is read as an exclusive
/// consumer of the log, so of all replicas one relays and the others stand by; the relay's offset moves
/// only after the sidecar has accepted the batch, so a crash republishes, never skips. Event ids are
/// the log's, so consumers recognise a republished event.
/// </summary>
public sealed class DaprOutboxRelay(
    PostgresEventSubscriber log, DaprEventPublisher publisher, DaprTopology topology, IOptions<DaprEventBusOptions> options)
    : BackgroundService
{
    /// <summary>The durable consumer name under which the relay of <paramref name="topic"/> records its offset.</summary>
    public static string ConsumerName(string topic) => "dapr-relay." + topic;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(topology.RelayedTopics.Select(topic => log.RunAsync(
            new Subscription(ConsumerName(topic), topic) { Exclusive = true, BatchSizeMax = options.Value.RelayBatchSizeMax },
            new Forwarder(publisher), stoppingToken)));

    // Writes nothing to the database, so the log records the offset itself once this returns.
    private sealed class Forwarder(DaprEventPublisher publisher) : IEventBatchHandler
    {
        public Task OnAssignedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task HandleAsync(EventBatch batch, CancellationToken cancellationToken) =>
            publisher.PublishAsync(batch.Topic, batch.Events, cancellationToken);
    }
}
