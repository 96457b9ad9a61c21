using System.Collections.Concurrent;
using Npgsql;
using Payments.Contracts;
using Payments.EventBus;

namespace Payments.Api.Storage;

/// <summary>
/// One reader of the ledger's outcome topic for the whole process. It wakes the callers waiting for the
/// payments it sees decided, so a thousand waiting calls cost one query per commit of the ledger, not a
/// thousand. It starts at the topic's head; a caller re-reads once after registering, so an outcome
/// committed just before is not missed.
/// </summary>
internal sealed class OutcomeTail(NpgsqlDataSource dataSource, ITopicSignal signal, ILogger<OutcomeTail> logger) : BackgroundService
{
    private const int PageSize = 4096;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> waiters = new();

    /// <summary>A task that completes when an outcome about <paramref name="paymentId"/> is appended.</summary>
    public Task WhenDecided(Guid paymentId) =>
        waiters.GetOrAdd(paymentId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Stops waiting for <paramref name="paymentId"/>.</summary>
    public void Forget(Guid paymentId) => waiters.TryRemove(paymentId, out _);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TailAsync(stoppingToken);
            }
            catch (NpgsqlException exception)
            {
                // Waiters poll on their own meanwhile; start again from the head.
                logger.LogWarning(exception, "The outcome tail lost the database; restarting");
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }

    private async Task TailAsync(CancellationToken cancellationToken)
    {
        var position = await HeadAsync(cancellationToken);
        while (true)
        {
            var appended = signal.NextAppendAsync(EventTopics.Ledger);
            var read = await WakeAsync(position, cancellationToken);
            position = read.Position;
            if (read.Count < PageSize)
            {
                await Task.WhenAny(appended, Task.Delay(PollInterval, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private async Task<(long Position, int Count)> WakeAsync(long after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            select seq, subject from eventlog.events where topic = '{EventTopics.Ledger}' and seq > $1 order by seq limit {PageSize}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (position, count) = (after, 0);
        while (await reader.ReadAsync(cancellationToken))
        {
            (position, count) = (reader.GetInt64(0), count + 1);
            if (Guid.TryParse(reader.GetString(1), out var subject) && waiters.TryRemove(subject, out var waiter))
            {
                waiter.TrySetResult();
            }
        }

        return (position, count);
    }

    private async Task<long> HeadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select coalesce(max(seq), 0) from eventlog.events where topic = '{EventTopics.Ledger}'");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
