using Payments.Ledger.Domain;

namespace Payments.Ledger.Writer;

/// <summary>
/// The writer's view of transfers that later intents refer to: holds and what became of them, posted
/// transfers and how much has been reversed.
/// </summary>
internal sealed class TransferBook() : BoundedBook<TransferState>(state => state.Id, TransfersCachedMax)
{
    private const int TransfersCachedMax = 1_000_000;

    /// <summary>
    /// Every hold of <paramref name="ledger"/> the book knows that is still open and expired at
    /// <paramref name="now"/>, in expiry order. The writer loads all such holds from the database before a
    /// batch with a tick, so this is the complete set, whatever the batch boundaries: that is what makes
    /// expiry replay identically. The book may also hold other ledgers' transfers that an intent named by
    /// mistake; they are never this ledger's to expire.
    /// </summary>
    public List<TransferState> OpenHoldsExpiredAt(string ledger, DateTimeOffset now) =>
        States.Where(t => t.Ledger == ledger && t.IsOpenHoldExpiredAt(now)).OrderBy(t => t.ExpiresAt).ThenBy(t => t.Sequence).ToList();
}
