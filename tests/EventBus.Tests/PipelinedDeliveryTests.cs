using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.EventBus.Postgres;
using Payments.Testing;

namespace Payments.EventBus.Tests;

/// <summary>The PostgreSQL transport with a handler that stages each batch while the one before commits.</summary>
public sealed class PipelinedDeliveryTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const int BatchSize = 5;

    public async Task InitializeAsync()
    {
        await database.Owner.ExecuteAsync("""
            create table if not exists public.pipelined_effects (consumer text not null, event_id uuid not null);
            grant select, insert on public.pipelined_effects to payments_ledger;
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_batch_is_staged_while_the_one_before_commits_and_the_commits_land_in_order()
    {
        var (topic, published) = await PublishAsync(25);
        var handler = new PipelinedHandler(database.Ledger, "overlapped", published[^1].Id) { WaitForNextStage = true };

        await RunUntilAsync(new Subscription("overlapped", topic) { BatchSizeMax = BatchSize }, handler,
            () => handler.Delivered.Count == published.Count);

        Assert.Equal(published.Select(e => e.Id), handler.Delivered);
        Assert.Equal(4, handler.Overlapped);
        Assert.Equal(25L, await database.Ledger.ScalarAsync<long>(
            "select \"offset\" from eventlog.consumer_offsets where consumer = 'overlapped' and topic = $1", topic));
    }

    [Fact]
    public async Task A_failed_commit_is_delivered_again_before_anything_staged_after_it_commits()
    {
        var (topic, published) = await PublishAsync(25);
        var handler = new PipelinedHandler(database.Ledger, "failed-commit", published[^1].Id) { FailCommitOfStage = 2 };

        await RunUntilAsync(new Subscription("failed-commit", topic) { BatchSizeMax = BatchSize }, handler,
            () => handler.Delivered.Count == published.Count);

        // Batch 3 was staged on top of the failed batch 2; its commit must never start before batch 2's retry.
        var firstOfBatch = published.Where((_, i) => i % BatchSize == 0).Select(e => e.Id).ToList();
        Assert.Equal([firstOfBatch[0], firstOfBatch[1], firstOfBatch[1], .. firstOfBatch[2..]], handler.CommitsStarted);
        Assert.Equal(published.Select(e => e.Id), handler.Delivered);
        Assert.Equal(2, handler.Assignments);
        Assert.Equal(25L, await database.Ledger.ScalarAsync<long>(
            "select count(distinct event_id) from public.pipelined_effects where consumer = 'failed-commit'"));
        Assert.Equal(25L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from public.pipelined_effects where consumer = 'failed-commit'"));
    }

    private async Task<(string Topic, List<EventEnvelope> Published)> PublishAsync(int count)
    {
        var topic = "t" + Guid.NewGuid().ToString("N")[..12];
        var published = Enumerable.Range(0, count)
            .Select(_ => new EventEnvelope(Guid.NewGuid(), "tests.v1.Happened", "tests", "subject", "main", DateTimeOffset.UtcNow, null, "{}"))
            .ToList();
        await new PostgresEventPublisher(database.Ledger).PublishAsync(topic, published, CancellationToken.None);
        return (topic, published);
    }

    private async Task RunUntilAsync(Subscription subscription, IEventBatchHandler handler, Func<bool> done)
    {
        using var stop = new CancellationTokenSource();
        var run = new PostgresEventSubscriber(database.Ledger, NullLogger<PostgresEventSubscriber>.Instance)
            .RunAsync(subscription, handler, stop.Token);
        await Eventually.WaitUntilAsync(() => Task.FromResult(done()), TimeSpan.FromSeconds(60), "every event was committed");
        await stop.CancelAsync();
        await run;
    }

    /// <summary>
    /// Stages a batch by numbering it; its commit writes one effect row per event with the progress, in
    /// one transaction, like the ledger writer.
    /// </summary>
    private sealed class PipelinedHandler(NpgsqlDataSource dataSource, string consumer, Guid lastEventId) : IPipelinedBatchHandler
    {
        private readonly ConcurrentQueue<Guid> committed = new();
        private readonly ConcurrentQueue<Guid> commitsStarted = new();
        private int assignments;
        private int stages;
        private int overlapped;
        private int failuresLeft = 1;

        /// <summary>Each commit but the last waits, with a deadline, until the next batch has been staged.</summary>
        public bool WaitForNextStage { get; init; }

        /// <summary>The stage whose commit fails once, after writing its rows.</summary>
        public int FailCommitOfStage { get; init; }

        public int Assignments => Volatile.Read(ref assignments);

        public int Overlapped => Volatile.Read(ref overlapped);

        public List<Guid> Delivered => [.. committed];

        /// <summary>The first event of each batch whose commit started, in that order.</summary>
        public List<Guid> CommitsStarted => [.. commitsStarted];

        public Task OnAssignedAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref assignments);
            return Task.CompletedTask;
        }

        public Task HandleAsync(EventBatch batch, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The PostgreSQL transport stages a pipelined handler's batches.");

        public Task<StagedCommit> StageAsync(EventBatch batch, Task previousCommit, CancellationToken cancellationToken)
        {
            var stage = Interlocked.Increment(ref stages);
            return Task.FromResult<StagedCommit>(commitCancellation => CommitAsync(batch, stage, commitCancellation));
        }

        private async Task CommitAsync(EventBatch batch, int stage, CancellationToken cancellationToken)
        {
            commitsStarted.Enqueue(batch.Events[0].Id);
            if (WaitForNextStage && batch.Events[^1].Id != lastEventId)
            {
                // A transport that staged the next batch only after this commit would time out here.
                await Eventually.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref stages) > stage), TimeSpan.FromSeconds(10),
                    "the next batch staged while this one commits", TimeSpan.FromMilliseconds(5));
                Interlocked.Increment(ref overlapped);
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await batch.Progress.SaveAsync(transaction, cancellationToken);
            await using var insert = new NpgsqlCommand(
                "insert into public.pipelined_effects (consumer, event_id) select $1, unnest($2::uuid[])", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = consumer });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Events.Select(e => e.Id).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (stage == FailCommitOfStage && Interlocked.Exchange(ref failuresLeft, 0) == 1)
            {
                throw new InvalidOperationException("Injected failure before commit.");
            }

            await transaction.CommitAsync(cancellationToken);
            foreach (var envelope in batch.Events)
            {
                committed.Enqueue(envelope.Id);
            }
        }
    }
}
