using System.Data.Common;

namespace Payments.EventBus;

/// <summary>The consumer's position after a batch, to be recorded once the batch is handled.</summary>
public interface IDeliveryProgress
{
    /// <summary>
    /// Records the position inside the handler's transaction, so that the position and the handler's
    /// writes commit or roll back together. Call it first in the transaction: it also fences off a
    /// second instance that read the same batch. Transports that cannot share the transaction record
    /// nothing here and acknowledge once the handler returns; their handlers rely on idempotency.
    /// </summary>
    Task SaveAsync(DbTransaction transaction, CancellationToken cancellationToken);
}
