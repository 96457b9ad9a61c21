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
internal sealed class LedgerWriter(NpgsqlDataSource dataSource, IEventOutbox outbox, LedgerOptions options) : IEventBatchHandler
{
    private const int ParallelDecodeMin = 256;

    private readonly AccountBook book = new();
    private readonly TransferBook transfers = new();
    private ChainHead? head;

    /// <inheritdoc />
    public Task OnAssignedAsync(CancellationToken cancellationToken)
    {
        Forget();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            head = await ApplyAsync(batch, cancellationToken);
        }
        catch
        {
            // The book may hold effects of a batch that did not commit.
            Forget();
            throw;
        }
    }

    private async Task<ChainHead?> ApplyAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        var intents = Decode(batch.Events);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await batch.Progress.SaveAsync(transaction, cancellationToken);

        var headAfter = head;
        if (intents.Count > 0)
        {
            headAfter = await ApplyIntentsAsync(connection, transaction, intents, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        book.TrimIfFull();
        transfers.TrimIfFull();
        return headAfter;
    }

    private async Task<ChainHead> ApplyIntentsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<Intent> intents, CancellationToken cancellationToken)
    {
        var headBefore = head ?? await LedgerWriteStore.LoadChainHeadAsync(connection, options.Name, cancellationToken);
        var recorded = await LedgerWriteStore.FindRecordedIntentsAsync(
            connection, intents.Select(i => i.IntentId).ToArray(), cancellationToken);
        await LoadStateAsync(connection, intents, cancellationToken);

        var changes = new LedgerChanges();
        var applier = new IntentApplier(options.Name, book, transfers, changes, recorded, headBefore);
        foreach (var intent in intents)
        {
            applier.Apply(intent);
        }

        await LedgerWriteStore.InsertAsync(connection, changes, cancellationToken);
        await outbox.AddAsync(transaction, EventTopics.Ledger, changes.Outcomes, cancellationToken);
        return applier.Head;
    }

    // Everything the batch's decisions depend on: the transfers its intents refer to, every hold a tick
    // in it may expire, and the accounts of all of them.
    private async Task LoadStateAsync(NpgsqlConnection connection, List<Intent> intents, CancellationToken cancellationToken)
    {
        var transferIds = intents.SelectMany(i => i.TransferIds).ToList();
        var ticks = intents.OfType<ClockTick>().ToList();
        if (ticks.Count > 0)
        {
            // All of them, not a page: which holds a tick expires must not depend on batch boundaries.
            transferIds.AddRange(await LedgerWriteStore.FindOpenHoldsExpiredAtAsync(
                connection, options.Name, ticks.Max(t => t.Now), cancellationToken));
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
    }
}
