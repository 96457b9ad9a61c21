namespace Payments.EventBus;

/// <summary>Commits a batch that <see cref="IPipelinedBatchHandler.StageAsync"/> prepared.</summary>
public delegate Task StagedCommit(CancellationToken cancellationToken);

/// <summary>
/// A handler whose batches may overlap: while batch n commits, the transport stages batch n+1 (the
/// handler's own work: decoding, reading, deciding), so that work and the database's commit of the batch
/// before it run side by side. Nothing is acknowledged earlier for it: each batch still commits its writes
/// and its offset in one transaction, and the commits run one at a time, in order.
/// </summary>
/// <remarks>
/// A transport that cannot overlap batches calls <see cref="IEventBatchHandler.HandleAsync"/>, which
/// stages and commits one batch. When a commit fails, the transport starts over from the recorded
/// offset and calls <see cref="IEventBatchHandler.OnAssignedAsync"/> again, so the handler forgets what it
/// staged on top of that commit.
/// </remarks>
public interface IPipelinedBatchHandler : IEventBatchHandler
{
    /// <summary>
    /// Does everything for <paramref name="batch"/> short of committing it, and returns its commit, which
    /// the transport starts once <paramref name="previousCommit"/> (the commit of the batch before) has
    /// succeeded. A handler that needs the earlier batch committed first awaits
    /// <paramref name="previousCommit"/>; it faults if that commit failed.
    /// </summary>
    Task<StagedCommit> StageAsync(EventBatch batch, Task previousCommit, CancellationToken cancellationToken);
}
