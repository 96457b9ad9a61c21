using Npgsql;
using Payments.Contracts;
using Payments.EventBus;

namespace Payments.Ledger.Writer;

/// <summary>
/// Copies settlement results of this ledger's payouts, unchanged and under the same ids, into the
/// intents topic, in the same transaction that records the relay's progress. The writer then reads one
/// ordered stream: a replay of the intents topic alone decides exactly as the live writer did, which
/// would not hold if the writer interleaved two topics by arrival.
/// </summary>
internal sealed class SettlementRelay(NpgsqlDataSource dataSource, IEventOutbox outbox, LedgerOptions options) : IEventBatchHandler
{
    /// <summary>The durable consumer name of a ledger's relay.</summary>
    public static string ConsumerName(string ledger) => "settlement-relay." + ledger;

    /// <inheritdoc />
    public Task OnAssignedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task HandleAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        var results = batch.Events.Where(e => e.PartitionKey == options.Name).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await batch.Progress.SaveAsync(transaction, cancellationToken);
        if (results.Count > 0)
        {
            // A result the intents topic already holds (a rail's duplicate callback) is skipped by the log.
            await outbox.AddAsync(transaction, EventTopics.Payments, results, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
