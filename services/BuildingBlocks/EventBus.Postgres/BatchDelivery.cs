namespace Payments.EventBus.Postgres;

/// <summary>
/// Hands one session's batches to its handler in order: each handled before the next, or, for an
/// <see cref="IPipelinedBatchHandler"/>, each staged while the batch before it commits.
/// </summary>
internal sealed class BatchDelivery(IEventBatchHandler handler, Func<PostgresDeliveryProgress, CancellationToken, Task> saveProgressAlone)
{
    // The commit of the batch delivered last, which may still be running.
    private Task committing = Task.CompletedTask;

    /// <summary>
    /// Delivers <paramref name="batch"/>. Returns once it is handled, or for a pipelined handler once it is
    /// staged and the batch before it has committed; throws if either failed.
    /// </summary>
    public async Task DeliverAsync(EventBatch batch, PostgresDeliveryProgress progress, CancellationToken cancellationToken)
    {
        if (handler is IPipelinedBatchHandler pipelined)
        {
            var commit = await pipelined.StageAsync(batch, committing, cancellationToken);
            await committing;
            committing = commit(cancellationToken);
            return;
        }

        await handler.HandleAsync(batch, cancellationToken);
        if (!progress.Saved)
        {
            await saveProgressAlone(progress, cancellationToken);
        }
    }

    /// <summary>Waits until every delivered batch has committed; throws if the last commit failed.</summary>
    public Task DrainAsync() => committing;

    /// <summary>
    /// Waits for the commit in flight, whatever its result, when the session ends: the stream, and its
    /// exclusivity, must not pass on while a commit of this session can still land.
    /// </summary>
    public Task SettleAsync() => committing.ContinueWith(_ => { }, TaskScheduler.Default);
}
