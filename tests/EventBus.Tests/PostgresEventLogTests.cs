using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.EventBus.Postgres;
using Payments.Testing;

namespace Payments.EventBus.Tests;

public sealed class PostgresEventLogTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        // A table standing in for a consumer's own writes, owned like every table by the owner role.
        await database.Owner.ExecuteAsync("""
            create table if not exists public.effects (consumer text not null, topic text not null, event_id uuid not null);
            grant select, insert on public.effects to payments_ledger;
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static EventEnvelope Event(Guid? id = null) =>
        new(id ?? Guid.NewGuid(), "tests.v1.Happened", "tests", "subject", "main", DateTimeOffset.UtcNow, null, "{}");

    private static string NewTopic() => "t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Concurrent_publishers_get_gapless_offsets()
    {
        var topic = NewTopic();
        var publisher = new PostgresEventPublisher(database.Ledger);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                await publisher.PublishAsync(topic, [Event(), Event(), Event()], CancellationToken.None);
            }
        })));

        Assert.Equal(240L, await database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events where topic = $1", topic));
        Assert.Equal(240L, await database.Ledger.ScalarAsync<long>("select max(seq) from eventlog.events where topic = $1", topic));
        Assert.Equal(1L, await database.Ledger.ScalarAsync<long>("select min(seq) from eventlog.events where topic = $1", topic));
    }

    [Fact]
    public async Task Concurrent_publish_calls_share_commits_and_each_returns_only_once_committed()
    {
        var topic = NewTopic();
        using var publisher = new GroupCommitPublisher(database.Ledger, NullLogger<GroupCommitPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        const int calls = 300;

        await Task.WhenAll(Enumerable.Range(0, calls).Select(async _ =>
        {
            var envelope = Event();
            await publisher.PublishAsync(topic, [envelope], CancellationToken.None);
            // Acknowledged means committed: a fresh connection already sees the event.
            Assert.Equal(1L, await database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events where topic = $1 and id = $2", topic, envelope.Id));
        }));

        Assert.Equal((long)calls, await database.Ledger.ScalarAsync<long>("select max(seq) from eventlog.events where topic = $1", topic));
        // now() is the transaction's start time, so distinct values count the commits.
        var commits = await database.Ledger.ScalarAsync<long>("select count(distinct appended_at) from eventlog.events where topic = $1", topic);
        Assert.True(commits < calls / 2, $"{calls} calls took {commits} commits");
        await publisher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_call_whose_events_the_database_refuses_fails_alone()
    {
        var topic = NewTopic();
        using var publisher = new GroupCommitPublisher(database.Ledger, NullLogger<GroupCommitPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        var good = Enumerable.Range(0, 50).Select(_ => Event()).ToList();
        var bad = Event() with { Data = """{"text":"\u0000"}""" };

        var calls = good.Select(e => publisher.PublishAsync(topic, [e], CancellationToken.None)).ToList();
        var refused = publisher.PublishAsync(topic, [bad], CancellationToken.None);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => refused);
        await Task.WhenAll(calls);

        Assert.Equal(50L, await database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events where topic = $1", topic));
        await publisher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_fails_a_group_at_once_not_call_by_call()
    {
        // A server that takes connections and never answers: every attempt costs the connect timeout.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var attempts = 0;
        var accepted = new List<System.Net.Sockets.TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                accepted.Add(await silent.AcceptTcpClientAsync(stop.Token));
                Interlocked.Increment(ref attempts);
            }
        });
        await using var unreachable = NpgsqlDataSource.Create(
            $"Host=127.0.0.1;Port={((System.Net.IPEndPoint)silent.LocalEndpoint).Port};Username=nobody;Timeout=1;Pooling=false");
        using var publisher = new GroupCommitPublisher(unreachable, NullLogger<GroupCommitPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        var topic = NewTopic();

        var calls = Enumerable.Range(0, 8).Select(_ => publisher.PublishAsync(topic, [Event()], CancellationToken.None)).ToList();

        foreach (var call in calls)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        // The calls formed one or two groups; retried call by call they would have made up to nine attempts.
        Assert.InRange(Volatile.Read(ref attempts), 1, 2);
        await publisher.StopAsync(CancellationToken.None);
        await stop.CancelAsync();
        silent.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
        accepted.ForEach(client => client.Dispose());
    }

    [Fact]
    public async Task A_queue_full_of_events_makes_the_next_call_wait_outside_it()
    {
        var topic = NewTopic();
        using var publisher = new GroupCommitPublisher(database.Ledger, NullLogger<GroupCommitPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        var batches = Enumerable.Range(0, 15).Select(_ => Enumerable.Range(0, GroupCommitPublisher.EventsPerCommitMax).Select(_ => Event()).ToList()).ToList();
        var late = Enumerable.Range(0, GroupCommitPublisher.EventsPerCommitMax).Select(_ => Event()).ToList();
        using var giveUp = new CancellationTokenSource();

        // The loop is held on a commit while 61,441 of the queue's 65,536 events are taken; the late call
        // finds no room. Given up, it must leave nothing behind: it was never queued.
        var queued = await InOneGroupAsync(publisher, [], queue: async () =>
        {
            var calls = batches.Select(b => publisher.PublishAsync(topic, b, CancellationToken.None)).ToList();
            var waiting = publisher.PublishAsync(topic, late, giveUp.Token);
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            return calls;
        });
        await Task.WhenAll(queued);
        // Calls commit in the order they were queued: once a later one has, a queued late call would have too.
        await publisher.PublishAsync(NewTopic(), [Event()], CancellationToken.None);

        Assert.Equal(15L * GroupCommitPublisher.EventsPerCommitMax, await database.Ledger.ScalarAsync<long>(
            "select count(*) from eventlog.events where topic = $1", topic));
        Assert.Equal(0L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from eventlog.events where topic = $1 and id = any($2)", topic, late.Select(e => e.Id).ToArray()));
        await publisher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task One_id_published_to_two_topics_in_one_group_is_new_for_each_topic()
    {
        var (first, second) = ("a" + NewTopic(), "b" + NewTopic());
        using var publisher = new GroupCommitPublisher(database.Ledger, NullLogger<GroupCommitPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        var shared = Event();

        var calls = await InOneGroupAsync(publisher, [(first, shared), (second, shared)]);

        Assert.Equal([shared.Id], await calls[0]);
        Assert.Equal([shared.Id], await calls[1]);
        await publisher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stopping_while_a_failed_group_is_retried_call_by_call_fails_the_calls_not_yet_tried()
    {
        var (refusing, locked) = ("a" + NewTopic(), "b" + NewTopic());
        using var publisher = new GroupCommitPublisher(database.Ledger, NullLogger<GroupCommitPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);

        // The group fails on the refused event; retried alone, the first good call waits for the held topic.
        await using var holder = await database.Ledger.OpenConnectionAsync();
        await using var held = await holder.BeginTransactionAsync();
        await PostgresEventAppender.AppendAsync(holder, locked, [Event()], CancellationToken.None);
        var bad = Event() with { Data = """{"text":"\u0000"}""" };
        var calls = await InOneGroupAsync(publisher, [(refusing, bad), (locked, Event()), (locked, Event())]);
        await Assert.ThrowsAsync<PostgresException>(() => calls[0]);
        await Eventually.WaitUntilAsync(async () => await database.Ledger.ScalarAsync<long>(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()") > 0,
            TimeSpan.FromSeconds(10), "the first good call waits for the topic's lock");

        await publisher.StopAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls[1].WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls[2].WaitAsync(TimeSpan.FromSeconds(10)));
    }

    // Queues `calls` (or what `queue` queues) while the publisher's loop waits on a commit of its own, so
    // they form the next group together.
    private async Task<List<Task<IReadOnlySet<Guid>?>>> InOneGroupAsync(GroupCommitPublisher publisher, (string Topic, EventEnvelope Event)[] calls,
        Func<Task<List<Task<IReadOnlySet<Guid>?>>>>? queue = null)
    {
        var blocker = NewTopic();
        await using var holder = await database.Ledger.OpenConnectionAsync();
        await using var held = await holder.BeginTransactionAsync();
        await PostgresEventAppender.AppendAsync(holder, blocker, [Event()], CancellationToken.None);
        var blocked = publisher.PublishAsync(blocker, [Event()], CancellationToken.None);
        await Eventually.WaitUntilAsync(async () => await database.Ledger.ScalarAsync<long>(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()") > 0,
            TimeSpan.FromSeconds(10), "the publisher's loop waits for the blocking topic");

        // Queued synchronously: a bounded channel with room takes the call before PublishAsync returns.
        var queued = queue is not null ? await queue() : calls.Select(c => publisher.PublishAsync(c.Topic, [c.Event], CancellationToken.None)).ToList();
        await held.RollbackAsync();
        await blocked;
        return queued;
    }

    [Fact]
    public async Task A_republished_event_id_is_appended_once()
    {
        var topic = NewTopic();
        var publisher = new PostgresEventPublisher(database.Ledger);
        var repeated = Event();
        await publisher.PublishAsync(topic, [repeated, Event()], CancellationToken.None);
        await publisher.PublishAsync(topic, [repeated, repeated with { Data = """{"other":1}""" }, Event()], CancellationToken.None);

        Assert.Equal(3L, await database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events where topic = $1", topic));
        Assert.Equal(3L, await database.Ledger.ScalarAsync<long>("select max(seq) from eventlog.events where topic = $1", topic));
        Assert.Equal("{}", await database.Ledger.ScalarAsync<string>(
            "select data::text from eventlog.events where topic = $1 and id = $2", topic, repeated.Id));
    }

    [Fact]
    public async Task A_large_append_by_copy_keeps_offsets_gapless_and_skips_repeats()
    {
        var topic = NewTopic();
        var publisher = new PostgresEventPublisher(database.Ledger);
        var earlier = Event();
        await publisher.PublishAsync(topic, [earlier], CancellationToken.None);

        // Large enough for COPY, with an id the topic holds and one repeated inside the call.
        var large = Enumerable.Range(0, PostgresEventAppender.CopyFromEvents * 2).Select(_ => Event()).ToList();
        var repeated = large[10];
        var fresh = await publisher.PublishAsync(topic, [.. large, earlier, repeated with { Data = """{"other":1}""" }], CancellationToken.None);

        Assert.Equal(large.Select(e => e.Id).ToHashSet(), fresh);
        Assert.Equal((long)large.Count + 1, await database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events where topic = $1", topic));
        Assert.Equal((long)large.Count + 1, await database.Ledger.ScalarAsync<long>("select max(seq) from eventlog.events where topic = $1", topic));
        Assert.Equal(12L, await database.Ledger.ScalarAsync<long>("select seq from eventlog.events where topic = $1 and id = $2", topic, repeated.Id));
        Assert.Equal("{}", await database.Ledger.ScalarAsync<string>(
            "select data::text from eventlog.events where topic = $1 and id = $2", topic, repeated.Id));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(PostgresEventAppender.CopyFromEvents * 2)]
    public async Task Events_vouched_new_append_gaplessly_and_a_repeat_among_them_fails_the_transaction(int count)
    {
        var topic = NewTopic();
        var outbox = new PostgresEventOutbox();
        var first = Enumerable.Range(0, count).Select(_ => Event()).ToList();
        await AddNewInTransactionAsync(outbox, topic, first);

        // The same number again, one of them an id the topic holds: nothing looked for it, the index refuses it.
        var second = Enumerable.Range(0, count - 1).Select(_ => Event()).Append(first[1]).ToList();
        var refused = await Assert.ThrowsAsync<PostgresException>(() => AddNewInTransactionAsync(outbox, topic, second));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Equal((long)count, await database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events where topic = $1", topic));
        Assert.Equal((long)count, await database.Ledger.ScalarAsync<long>("select max(seq) from eventlog.events where topic = $1", topic));
        Assert.Equal(2L, await database.Ledger.ScalarAsync<long>("select seq from eventlog.events where topic = $1 and id = $2", topic, first[1].Id));
    }

    private async Task AddNewInTransactionAsync(IEventOutbox outbox, string topic, List<EventEnvelope> events)
    {
        await using var connection = await database.Ledger.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await outbox.AddNewAsync(transaction, topic, events, CancellationToken.None);
        await transaction.CommitAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    public async Task A_subscriber_delivers_every_event_in_order_and_records_progress(int lingerMs)
    {
        var topic = NewTopic();
        var published = Enumerable.Range(0, 25).Select(_ => Event()).ToList();
        await new PostgresEventPublisher(database.Ledger).PublishAsync(topic, published, CancellationToken.None);

        var handler = new RecordingHandler(database.Ledger, "in-order");
        await RunUntilAsync(new Subscription("in-order", topic) { BatchSizeMax = 7, LingerMs = lingerMs }, handler,
            () => handler.Delivered.Count == published.Count);

        Assert.Equal(published.Select(e => e.Id), handler.Delivered);
        Assert.Equal(25L, await database.Ledger.ScalarAsync<long>(
            "select \"offset\" from eventlog.consumer_offsets where consumer = 'in-order' and topic = $1", topic));
    }

    [Fact]
    public async Task A_consumer_rewound_while_idle_is_delivered_everything_again()
    {
        var topic = NewTopic();
        var published = Enumerable.Range(0, 5).Select(_ => Event()).ToList();
        await new PostgresEventPublisher(database.Ledger).PublishAsync(topic, published, CancellationToken.None);
        var delivered = new ConcurrentQueue<Guid>();
        using var stop = new CancellationTokenSource();
        var run = new PostgresEventSubscriber(database.Ledger, NullLogger<PostgresEventSubscriber>.Instance)
            .RunAsync(new Subscription("rewound", topic), new ProgressOnlyHandler(delivered), stop.Token);
        await Eventually.WaitUntilAsync(() => Task.FromResult(delivered.Count == 5), TimeSpan.FromSeconds(30), "the first delivery");

        // Nothing new is appended: only the idle consumer's own look at its offset can start the replay.
        await database.Owner.ExecuteAsync("""update eventlog.consumer_offsets set "offset" = 0 where consumer = 'rewound' and topic = $1""", topic);
        await Eventually.WaitUntilAsync(() => Task.FromResult(delivered.Count == 10), TimeSpan.FromSeconds(30), "the replay from zero");
        await stop.CancelAsync();
        await run;

        Assert.Equal(published.Select(e => e.Id).Concat(published.Select(e => e.Id)), delivered);
    }

    [Fact]
    public async Task A_failed_batch_is_delivered_again_and_nothing_is_skipped()
    {
        var topic = NewTopic();
        var published = Enumerable.Range(0, 10).Select(_ => Event()).ToList();
        await new PostgresEventPublisher(database.Ledger).PublishAsync(topic, published, CancellationToken.None);

        var handler = new RecordingHandler(database.Ledger, "flaky") { FailuresLeft = 2 };
        await RunUntilAsync(new Subscription("flaky", topic) { BatchSizeMax = 4 }, handler,
            () => handler.Delivered.Count == published.Count);

        Assert.Equal(published.Select(e => e.Id), handler.Delivered);
        Assert.Equal(10L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from public.effects where consumer = 'flaky' and topic = $1", topic));
    }

    [Fact]
    public async Task Two_instances_of_one_consumer_apply_each_event_exactly_once()
    {
        // Not exclusive, so both read the same batches; the conditional offset update lets only one commit.
        var topic = NewTopic();
        var published = Enumerable.Range(0, 200).Select(_ => Event()).ToList();
        var first = new RecordingHandler(database.Ledger, "raced");
        var second = new RecordingHandler(database.Ledger, "raced");
        using var stop = new CancellationTokenSource();
        var subscriber = new PostgresEventSubscriber(database.Ledger, NullLogger<PostgresEventSubscriber>.Instance);
        var runs = new[] { first, second }.Select(h => subscriber.RunAsync(new Subscription("raced", topic) { BatchSizeMax = 5 }, h, stop.Token)).ToList();

        var publisher = new PostgresEventPublisher(database.Ledger);
        foreach (var chunk in published.Chunk(10))
        {
            await publisher.PublishAsync(topic, chunk, CancellationToken.None);
        }

        await Eventually.WaitUntilAsync(async () => await database.Ledger.ScalarAsync<long>(
            "select \"offset\" from eventlog.consumer_offsets where consumer = 'raced' and topic = $1", topic) == 200,
            TimeSpan.FromSeconds(30), "the consumer reached the head");
        await stop.CancelAsync();
        await Task.WhenAll(runs);

        Assert.Equal(200L, await database.Ledger.ScalarAsync<long>(
            "select count(distinct event_id) from public.effects where consumer = 'raced' and topic = $1", topic));
        Assert.Equal(200L, await database.Ledger.ScalarAsync<long>(
            "select count(*) from public.effects where consumer = 'raced' and topic = $1", topic));
    }

    [Fact]
    public async Task An_append_wakes_waiters_through_notify()
    {
        var topic = NewTopic();
        using var signal = new PostgresTopicSignal(database.Ledger, [topic], NullLogger<PostgresTopicSignal>.Instance);
        await signal.StartAsync(CancellationToken.None);

        // The listener pulses once when it connects; after that, only an append completes the wait.
        await signal.NextAppendAsync(topic).WaitAsync(TimeSpan.FromSeconds(10));
        var next = signal.NextAppendAsync(topic);
        Assert.False(next.IsCompleted);

        await new PostgresEventPublisher(database.Ledger).PublishAsync(topic, [Event()], CancellationToken.None);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        await signal.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_busy_consumer_keeps_reading_its_notifications()
    {
        // A backlog the consumer works through slowly, so it never waits on its control connection.
        var topic = NewTopic();
        await new PostgresEventPublisher(database.Ledger).PublishAsync(
            topic, [.. Enumerable.Range(0, 3000).Select(_ => Event())], CancellationToken.None);
        var delivered = new ConcurrentQueue<Guid>();
        using var stop = new CancellationTokenSource();
        var run = new PostgresEventSubscriber(database.Ledger, NullLogger<PostgresEventSubscriber>.Instance).RunAsync(
            new Subscription("busy", topic) { BatchSizeMax = 1, Exclusive = true }, new SlowHandler(delivered), stop.Token);
        await Eventually.WaitUntilAsync(() => Task.FromResult(!delivered.IsEmpty), TimeSpan.FromSeconds(30), "the consumer started");

        // More than the socket buffers hold (loopback TCP blocks at about 4 MB), and no more: every
        // listening session of the server reads through the queue. Unread, the listening session blocks
        // and keeps the queue. The payloads differ, since a transaction's identical notifications are sent once.
        await database.Ledger.ExecuteAsync(
            "select pg_notify($1, repeat('x', 7000) || i) from generate_series(1, 1500) i", EventLogSchema.ChannelOf(topic));
        var flood = await database.Ledger.ScalarAsync<double>("select pg_notification_queue_usage()");
        await Eventually.WaitUntilAsync(async () =>
            {
                // The queue's tail moves only when a notifier crosses a few pages, so cross some.
                await database.Ledger.ExecuteAsync("select pg_notify('nudge', repeat('x', 7000) || i) from generate_series(1, 5) i");
                return await database.Ledger.ScalarAsync<double>("select pg_notification_queue_usage()") < flood / 10;
            },
            TimeSpan.FromSeconds(20), "the busy consumer's session let the notification queue go");

        Assert.True(delivered.Count < 3000, "the consumer was still busy, so only its reads while busy drained the queue");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Events_cannot_be_changed_even_by_the_owner()
    {
        var topic = NewTopic();
        await new PostgresEventPublisher(database.Ledger).PublishAsync(topic, [Event()], CancellationToken.None);
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            database.Owner.ExecuteAsync("update eventlog.events set subject = 'x' where topic = $1", topic));
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
    }

    private async Task RunUntilAsync(Subscription subscription, IEventBatchHandler handler, Func<bool> done)
    {
        using var stop = new CancellationTokenSource();
        var subscriber = new PostgresEventSubscriber(database.Ledger, NullLogger<PostgresEventSubscriber>.Instance);
        var run = subscriber.RunAsync(subscription, handler, stop.Token);
        await Eventually.WaitUntilAsync(() => Task.FromResult(done()), TimeSpan.FromSeconds(30), "every event was delivered");
        await stop.CancelAsync();
        await run;
    }

    /// <summary>Takes a while over every batch, like a consumer working through a backlog.</summary>
    private sealed class SlowHandler(ConcurrentQueue<Guid> delivered) : IEventBatchHandler
    {
        public Task OnAssignedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            foreach (var envelope in batch.Events)
            {
                delivered.Enqueue(envelope.Id);
            }
        }
    }

    /// <summary>Records nothing but the progress, which the transport then saves on its own.</summary>
    private sealed class ProgressOnlyHandler(ConcurrentQueue<Guid> delivered) : IEventBatchHandler
    {
        public Task OnAssignedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            foreach (var envelope in batch.Events)
            {
                delivered.Enqueue(envelope.Id);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Writes one effect row per event in the same transaction as the progress, like the ledger writer.</summary>
    private sealed class RecordingHandler(NpgsqlDataSource dataSource, string consumer) : IEventBatchHandler
    {
        private readonly ConcurrentQueue<Guid> committed = new();

        public int FailuresLeft { get; set; }

        public List<Guid> Delivered => [.. committed];

        public Task OnAssignedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await batch.Progress.SaveAsync(transaction, cancellationToken);
            await using var insert = new NpgsqlCommand(
                "insert into public.effects (consumer, topic, event_id) select $1, $2, unnest($3::uuid[])", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = consumer });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Topic });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Events.Select(e => e.Id).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new InvalidOperationException("Injected failure before commit.");
            }

            await Commit(transaction, cancellationToken);
            foreach (var envelope in batch.Events)
            {
                committed.Enqueue(envelope.Id);
            }
        }

        private static Task Commit(DbTransaction transaction, CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);
    }
}
