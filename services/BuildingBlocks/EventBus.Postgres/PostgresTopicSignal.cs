using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.EventBus.Postgres;

/// <summary>
/// One LISTEN connection per process that turns NOTIFYs on the watched topics into completed tasks for
/// any number of waiters. A reconnect wakes every waiter, since notifications may have been lost.
/// </summary>
public sealed class PostgresTopicSignal(
    NpgsqlDataSource dataSource, IReadOnlyList<string> topics, ILogger<PostgresTopicSignal> logger)
    : BackgroundService, ITopicSignal
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, TaskCompletionSource> next = topics.ToDictionary(
        topic => EventLogSchema.ChannelOf(topic), _ => NewSource(), StringComparer.Ordinal);

    private readonly Lock gate = new();

    /// <inheritdoc />
    public Task NextAppendAsync(string topic)
    {
        lock (gate)
        {
            return next.TryGetValue(EventLogSchema.ChannelOf(topic), out var source)
                ? source.Task
                : throw new InvalidOperationException($"Topic '{topic}' is not watched by this process.");
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) => Pulse(notification.Channel);
                foreach (var channel in next.Keys)
                {
                    await using var listen = new NpgsqlCommand($"listen \"{channel}\"", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                PulseAll();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A broken connection is retried; waiters fall back to polling meanwhile.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                logger.LogWarning(exception, "Event log listener lost its connection; reconnecting");
                PulseAll();
                await Task.Delay(ReconnectDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Pulse(string channel)
    {
        TaskCompletionSource? fired;
        lock (gate)
        {
            if (!next.TryGetValue(channel, out fired))
            {
                return;
            }

            next[channel] = NewSource();
        }

        fired.TrySetResult();
    }

    private void PulseAll()
    {
        foreach (var channel in next.Keys.ToList())
        {
            Pulse(channel);
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
