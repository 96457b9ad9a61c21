using Npgsql;
using Payments.Contracts;
using Payments.EventBus;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;

namespace Payments.Ledger.Writer;

/// <summary>
/// The single writer of one ledger. Each batch is one transaction holding, in this order: the consumer
/// offset (which fences off any second writer), the ledger rows, and the outcome events. So the ledger,
/// its outbox and the position in the log can never disagree, and a crash anywhere replays the batch.
/// </summary>
/// <remarks>
/// Batches are pipelined (ADR 0042): the writer decides batch n+1 in memory while batch n commits. Its
/// books are then ahead of the database by the batch in flight, which is safe because the books are the
/// writer's truth for everything they hold; only what they do not hold is read from the database, and
/// no batch in flight can have touched that. A failed commit ends the session and the writer forgets all.
/// </remarks>
internal sealed class LedgerWriter(NpgsqlDataSource dataSource, IEventOutbox outbox, LedgerOptions options, LedgerWriterMetrics metrics)
    : IPipelinedBatchHandler
{
    private const int ParallelDecodeMin = 256;

    private readonly AccountBook book = new();
    private readonly TransferBook transfers = new();
    private ChainHead? head;

    // The intents of the batch staged last. Its commit may still be running, so the database cannot yet
    // say that they are recorded.
    private HashSet<Guid> staged = [];

    /// <inheritdoc />
    public Task OnAssignedAsync(CancellationToken cancellationToken)
    {
        Forget();
        return Task.CompletedTask;
    }

    /// <summary>
    /// One batch, fenced before it is decided. A transport that cannot pipeline (Dapr) holds no lock
    /// between deliveries, so another replica may have written since this one's last: only the progress
    /// record, first in the transaction, takes the lock and learns of that (and then has the books
    /// cleared). Deciding before it would post from an account the other replica froze or closed.
    /// </summary>
    public async Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await batch.Progress.SaveAsync(transaction, cancellationToken);
            book.TrimIfFull();
            transfers.TrimIfFull();
            var intents = Decode(batch.Events);
            var changes = intents.Count > 0 ? await ApplyIntentsAsync(intents, cancellationToken) : null;
            await WriteAsync(connection, transaction, changes, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            metrics.Committed(changes);
        }
        catch (Exception exception)
        {
            Forget();
            metrics.Failed(exception);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<StagedCommit> StageAsync(EventBatch batch, Task previousCommit, CancellationToken cancellationToken)
    {
        try
        {
            var intents = Decode(batch.Events);
            if (NeedsCommittedLedger(intents))
            {
                await previousCommit;
                book.TrimIfFull();
                transfers.TrimIfFull();
            }

            var changes = intents.Count > 0 ? await ApplyIntentsAsync(intents, cancellationToken) : null;
            return commitCancellation => CommitAsync(batch.Progress, changes, commitCancellation);
        }
        catch (Exception exception)
        {
            // The books may hold effects of this batch, which will not commit.
            Forget();
            if (!previousCommit.IsFaulted && !previousCommit.IsCanceled)
            {
                // A failed previous commit was counted by that commit.
                metrics.Failed(exception);
            }

            throw;
        }
    }

    // Trimming a book drops states the batch in flight may have changed, and a tick asks the database
    // for every open hold: both want the ledger as committed. Either is rare, so waiting costs little.
    private bool NeedsCommittedLedger(List<Intent> intents) =>
        book.IsFull || transfers.IsFull || intents.Exists(i => i is ClockTick);

    private async Task<LedgerChanges> ApplyIntentsAsync(List<Intent> intents, CancellationToken cancellationToken)
    {
        // Reads only: the rows are written by the commit, on a connection of its own.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var headBefore = head ?? await LedgerWriteStore.LoadChainHeadAsync(connection, options.Name, cancellationToken);
        var recorded = await LedgerWriteStore.FindRecordedIntentsAsync(
            connection, intents.Select(i => i.IntentId).ToArray(), cancellationToken);
        recorded.UnionWith(staged);
        await LoadStateAsync(connection, intents, cancellationToken);

        var changes = new LedgerChanges();
        var applier = new IntentApplier(options.Name, book, transfers, changes, recorded, headBefore);
        foreach (var intent in intents)
        {
            applier.Apply(intent);
        }

        head = applier.Head;
        staged = intents.Select(i => i.IntentId).ToHashSet();
        return changes;
    }

    // The pipelined commit: the PostgreSQL transport's session holds the consumer's lock throughout, and
    // the offset's conditional update, first in the transaction, fences off a writer that slipped in.
    private async Task CommitAsync(IDeliveryProgress progress, LedgerChanges? changes, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await progress.SaveAsync(transaction, cancellationToken);
            await WriteAsync(connection, transaction, changes, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            metrics.Failed(exception);
            throw;
        }

        metrics.Committed(changes);
    }

    private async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, LedgerChanges? changes, CancellationToken cancellationToken)
    {
        if (changes is not null)
        {
            await LedgerWriteStore.InsertAsync(connection, changes, cancellationToken);
            // Each outcome's id derives from an intent this batch records for the first time or from a
            // transfer it inserts, both under unique keys, so none can be in the topic already.
            await outbox.AddNewAsync(transaction, EventTopics.Ledger, changes.Outcomes, cancellationToken);
        }
    }

    // Everything the batch's decisions depend on: the transfers its intents refer to, every hold a tick
    // in it may expire, and the accounts of all of them.
    private async Task LoadStateAsync(NpgsqlConnection connection, List<Intent> intents, CancellationToken cancellationToken)
    {
        var transferIds = intents.SelectMany(i => i.TransferIds).ToList();
        var ticks = intents.OfType<ClockTick>().ToList();
        if (ticks.Count > 0)
        {
            // Which holds a tick releases must not depend on batch boundaries: the first ReleasesMax open
            // ones as the tick finds them. Intents before it in this batch may resolve some of the first
            // (one each at most, and each earlier tick ReleasesMax), so that many more are read; holds the
            // batch itself opens are in the books already.
            var limit = (ticks.Count * ClockTick.ReleasesMax) + intents.Count;
            transferIds.AddRange(await LedgerWriteStore.FindOpenHoldsExpiredAtAsync(
                connection, options.Name, ticks.Max(t => t.Now), limit, cancellationToken));
        }

        foreach (var state in await LedgerWriteStore.LoadTransfersAsync(connection, options.Name, transfers.Missing(transferIds), cancellationToken))
        {
            transfers.Put(state);
        }

        var accountIds = intents.SelectMany(i => i.AccountIds)
            .Concat(transferIds.Select(transfers.Find).OfType<TransferState>().SelectMany(t => new[] { t.DebitAccountId, t.CreditAccountId }));
        foreach (var state in await LedgerWriteStore.LoadAccountsAsync(connection, book.Missing(accountIds), cancellationToken))
        {
            book.Put(state);
        }
    }

    // Decoding is pure and, for a large batch, the biggest piece of the writer's own work: spread it over
    // every core, in log order. A small batch is not worth the hand-off.
    private List<Intent> Decode(IReadOnlyList<EventEnvelope> events) =>
        (events.Count < ParallelDecodeMin
            ? events.Select(e => IntentDecoder.Decode(e, options.Name))
            : events.AsParallel().AsOrdered().Select(e => IntentDecoder.Decode(e, options.Name)))
        .OfType<Intent>().ToList();

    private void Forget()
    {
        book.Clear();
        transfers.Clear();
        head = null;
        staged = [];
    }
}
