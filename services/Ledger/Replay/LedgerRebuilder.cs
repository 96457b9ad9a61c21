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
/// same writer over it. The writer reads no clock and no randomness, so the rebuild must hold exactly the
/// rows the live ledger holds for the same intents, every table of them; any difference means the ledger
/// is not what its events say.
/// </summary>
public static class LedgerRebuilder
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Both chains' verification, both hashes at the sequence compared, and the first difference of each
    /// table (or a hole in the log) when the rebuild does not hold what the live ledger held.
    /// </summary>
    public sealed record Result(
        long IntentsReplayed, ChainVerification Live, ChainVerification Rebuilt, long ComparedSequence, string LiveHash, string RebuiltHash,
        IReadOnlyList<string> Differences)
    {
        /// <summary>True when both chains verify, agree at <see cref="ComparedSequence"/>, and no table differs.</summary>
        public bool Identical => Live.IsIntact && Rebuilt.IsIntact && LiveHash == RebuiltHash && Differences.Count == 0;
    }

    /// <summary>
    /// Rebuilds <paramref name="ledger"/> from <paramref name="source"/>'s event log into the empty database
    /// behind <paramref name="target"/>, which must connect as the owner role (it migrates first).
    /// </summary>
    public static async Task<Result> RebuildAsync(
        NpgsqlDataSource source, NpgsqlDataSource target, string ledger, CancellationToken cancellationToken)
    {
        await SqlMigrator.ApplyAsync(target, LedgerSchema.Migrations, cancellationToken);
        var consumer = LedgerWriterService.ConsumerName(ledger);

        // The live writer keeps going; the snapshot holds its ledger at the intents it had consumed, and the
        // rebuild replays exactly those. A live ledger that lost rows at its end, whose chain still verifies
        // because nothing follows to betray it, then differs from the rebuild like any other change. Most
        // of the replay runs before the snapshot is taken: an open snapshot keeps VACUUM from the server's
        // dead rows, so it stays open only for the last stretch and the comparison.
        var earlier = await CommittedOffsetAsync(source, consumer, cancellationToken);
        var hole = await CopyAndReplayAsync(source, target, ledger, consumer, 0, earlier, cancellationToken);
        await using var live = await LiveSnapshot.TakeAsync(source, consumer, cancellationToken);
        var intents = live.ConsumedOffset;
        hole ??= await CopyAndReplayAsync(source, target, ledger, consumer, earlier, intents, cancellationToken);
        var liveChain = await ChainVerifier.VerifyAsync(source, ledger, cancellationToken);
        var rebuiltChain = await ChainVerifier.VerifyAsync(target, ledger, cancellationToken);
        await using var rebuilt = await target.OpenConnectionAsync(cancellationToken);
        var compared = await HeadSequenceAsync(live.Connection, ledger, cancellationToken);
        return new Result(hole is null ? intents : 0, liveChain, rebuiltChain, compared,
            await HashAtAsync(live.Connection, ledger, compared, cancellationToken),
            await HashAtAsync(rebuilt, ledger, compared, cancellationToken),
            // At a hole the replay stopped short, so every later row would differ: the hole is the one finding.
            hole is not null ? [hole] : await LedgerTableComparison.DifferencesAsync(live.Connection, rebuilt, ledger, cancellationToken));
    }

    // Copies the intents after `afterOffset` through `throughOffset` and replays them; returns the hole in the
    // live log that stopped the copy, if any, and then replays nothing.
    private static async Task<string?> CopyAndReplayAsync(NpgsqlDataSource source, NpgsqlDataSource target, string ledger, string consumer,
        long afterOffset, long throughOffset, CancellationToken cancellationToken)
    {
        if (throughOffset <= afterOffset)
        {
            return null;
        }

        var hole = await IntentCopy.CopyAsync(source, target, afterOffset, throughOffset, cancellationToken);
        if (hole is null)
        {
            await ReplayAsync(target, ledger, consumer, throughOffset, cancellationToken);
        }

        return hole;
    }

    private static async Task<long> CommittedOffsetAsync(NpgsqlDataSource dataSource, string consumer, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select coalesce(max(\"offset\"), 0) from eventlog.consumer_offsets where consumer = $1 and topic = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<long> HeadSequenceAsync(NpgsqlConnection connection, string ledger, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select coalesce(max(seq), 0) from ledger.transfers where ledger = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<string> HashAtAsync(NpgsqlConnection connection, string ledger, long sequence, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select hash from ledger.transfers where ledger = $1 and seq = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = sequence });
        var hash = await command.ExecuteScalarAsync(cancellationToken) as byte[];
        return Convert.ToHexStringLower(hash ?? Domain.ChainHead.Genesis.Hash);
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
