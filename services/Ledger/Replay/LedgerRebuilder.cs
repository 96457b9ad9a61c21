using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Contracts;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Ledger.Storage;
using Payments.Ledger.Verification;
using Payments.Ledger.Writer;
using Payments.Postgres;

namespace Payments.Ledger.Replay;

/// <summary>
/// Deterministic replay: copies the intents topic of a live database into an empty one and runs the very
/// same writer over it. The writer reads no clock and no randomness, so the rebuilt chain must end in
/// the same head hash as the live one; any difference means the ledger is not what its events say.
/// </summary>
public static class LedgerRebuilder
{
    private const int CopyPageSize = 2000;
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Both chains' verification, and both hashes at the last sequence both have reached.</summary>
    public sealed record Result(
        long IntentsReplayed, ChainVerification Live, ChainVerification Rebuilt, long ComparedSequence, string LiveHash, string RebuiltHash)
    {
        /// <summary>True when both chains verify and agree at <see cref="ComparedSequence"/>.</summary>
        public bool Identical => Live.IsIntact && Rebuilt.IsIntact && LiveHash == RebuiltHash;
    }

    /// <summary>
    /// Rebuilds <paramref name="ledger"/> from <paramref name="source"/>'s event log into the empty database
    /// behind <paramref name="target"/>, which must connect as the owner role (it migrates first).
    /// </summary>
    public static async Task<Result> RebuildAsync(
        NpgsqlDataSource source, NpgsqlDataSource target, string ledger, CancellationToken cancellationToken)
    {
        await SqlMigrator.ApplyAsync(target, LedgerSchema.Migrations, cancellationToken);
        var intents = await CopyIntentsAsync(source, target, cancellationToken);
        var consumer = LedgerWriterService.ConsumerName(ledger);
        await ReplayAsync(target, ledger, consumer, intents, cancellationToken);

        // Read before the live chain, so the live head covers at least every intent up to this offset.
        var liveProgress = await CommittedOffsetAsync(source, consumer, cancellationToken);
        var live = await ChainVerifier.VerifyAsync(source, ledger, cancellationToken);
        var rebuilt = await ChainVerifier.VerifyAsync(target, ledger, cancellationToken);

        // The live writer keeps going, or may lag behind the copied intents; the chains must agree where both
        // are. Live transfers past the rebuilt head are fine only if later intents, not copied, caused them;
        // rebuilt transfers past the live head only if the live writer has not reached their intents yet.
        // A live chain cut short at its end still verifies: only the rebuild can tell that it lost its tail.
        var compared = Math.Min(live.HeadSequence, rebuilt.HeadSequence);
        var liveHash =
            await MissingIntentsAsync(source, intents, cancellationToken) is { } missing ? missing
            : live.HeadSequence > rebuilt.HeadSequence && !await CausedAfterAsync(source, ledger, rebuilt.HeadSequence + 1, intents, cancellationToken)
                ? "transfer " + (rebuilt.HeadSequence + 1) + " follows from no intent the rebuild saw"
            : rebuilt.HeadSequence > live.HeadSequence && !await CausedAfterAsync(target, ledger, live.HeadSequence + 1, liveProgress, cancellationToken)
                ? "transfer " + (live.HeadSequence + 1) + " is missing, though the live writer has passed the intent that caused it"
            : await HashAtAsync(source, ledger, compared, cancellationToken);
        return new Result(intents, live, rebuilt, compared, liveHash, await HashAtAsync(target, ledger, compared, cancellationToken));
    }

    // The log's offsets are gapless from 1, so a gap means intents were removed from it. The copy reads
    // pages of offsets and would stop at a wide one, replaying a prefix that then matches the live chain
    // where both are; a narrow one would be copied across, shifting every later intent's offset.
    private static async Task<string?> MissingIntentsAsync(NpgsqlDataSource source, long copied, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("""
            select count(*) filter (where seq <= $2), min(seq) filter (where seq > $2) from eventlog.events where topic = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        command.Parameters.Add(new NpgsqlParameter { Value = copied });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (held, next) = (reader.GetInt64(0), reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1));
        // An intent appended since the copy comes right after it; anything further on is past a gap.
        return held != copied ? $"the log holds {held} intents up to offset {copied}: {copied - held} are missing"
            : next > copied + 1 ? $"the log misses the intents at offsets {copied + 1} to {next - 1}"
            : null;
    }

    private static async Task<long> CommittedOffsetAsync(NpgsqlDataSource dataSource, string consumer, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select coalesce(max(\"offset\"), 0) from eventlog.consumer_offsets where consumer = $1 and topic = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // True when the transfer at `sequence` was caused by an intent after the copied offset.
    private static async Task<bool> CausedAfterAsync(
        NpgsqlDataSource dataSource, string ledger, long sequence, long copiedOffset, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select e.seq from ledger.transfers t
            join eventlog.events e on e.topic = $3 and e.id = t.event_id
            where t.ledger = $1 and t.seq = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = sequence });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        return await command.ExecuteScalarAsync(cancellationToken) is long offset && offset > copiedOffset;
    }

    private static async Task<string> HashAtAsync(NpgsqlDataSource dataSource, string ledger, long sequence, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select hash from ledger.transfers where ledger = $1 and seq = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = sequence });
        var hash = await command.ExecuteScalarAsync(cancellationToken) as byte[];
        return Convert.ToHexStringLower(hash ?? Domain.ChainHead.Genesis.Hash);
    }

    private static async Task<long> CopyIntentsAsync(NpgsqlDataSource source, NpgsqlDataSource target, CancellationToken cancellationToken)
    {
        var publisher = new PostgresEventPublisher(target);
        long offset = 0;
        while (true)
        {
            var page = await PostgresEventLog.ReadAsync(source, EventTopics.Payments, offset, CopyPageSize, cancellationToken);
            if (page.Count == 0)
            {
                return offset;
            }

            // Offsets are gapless from 1 in both logs, so the copy keeps every event at its offset.
            await publisher.PublishAsync(EventTopics.Payments, page.ConvertAll(e => e.Envelope), cancellationToken);
            offset = page[^1].Offset;
        }
    }

    private static async Task ReplayAsync(NpgsqlDataSource target, string ledger, string consumer, long intents, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(CatchUpTimeout);
        var subscription = new Subscription(consumer, EventTopics.Payments) { Exclusive = true };
        var writer = new CatchUpHandler(target, subscription.Consumer,
            new LedgerWriter(target, new PostgresEventOutbox(), new LedgerOptions { Name = ledger }, LedgerWriterMetrics.ForReplay(ledger)), intents, stop);
        await new PostgresEventSubscriber(target, NullLogger<PostgresEventSubscriber>.Instance).RunAsync(subscription, writer, stop.Token);
        if (!writer.CaughtUp)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"The rebuild did not reach offset {intents} within {CatchUpTimeout}.");
        }
    }

    /// <summary>Stops the subscription once the writer's committed offset reaches the last copied intent.</summary>
    private sealed class CatchUpHandler(NpgsqlDataSource target, string consumer, IEventBatchHandler writer, long lastOffset, CancellationTokenSource stop)
        : IEventBatchHandler
    {
        public bool CaughtUp { get; private set; }

        public async Task OnAssignedAsync(CancellationToken cancellationToken)
        {
            await writer.OnAssignedAsync(cancellationToken);
            await StopIfCaughtUpAsync(cancellationToken);
        }

        public async Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            await writer.HandleAsync(batch, cancellationToken);
            await StopIfCaughtUpAsync(cancellationToken);
        }

        private async Task StopIfCaughtUpAsync(CancellationToken cancellationToken)
        {
            if (await CommittedOffsetAsync(target, consumer, cancellationToken) >= lastOffset)
            {
                CaughtUp = true;
                await stop.CancelAsync();
            }
        }
    }
}
