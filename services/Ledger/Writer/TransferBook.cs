using Payments.Ledger.Domain;

namespace Payments.Ledger.Writer;

/// <summary>
/// The single writer's view of transfers that later intents refer to: holds and what became of them,
/// posted transfers and how much has been reversed. Like the account book, cleared on any failure.
/// </summary>
internal sealed class TransferBook
{
    private const int TransfersCachedMax = 1_000_000;

    private readonly Dictionary<Guid, TransferState> transfers = [];

    public TransferState? Find(Guid id) => transfers.GetValueOrDefault(id);

    public void Put(TransferState state) => transfers[state.Id] = state;

    public List<Guid> Missing(IEnumerable<Guid> ids) => ids.Where(id => !transfers.ContainsKey(id)).Distinct().ToList();

    /// <summary>
    /// Every hold of <paramref name="ledger"/> the book knows that is still open and expired at
    /// <paramref name="now"/>, in expiry order. The writer loads all such holds from the database before a
    /// batch with a tick, so this is the complete set, whatever the batch boundaries: that is what makes
    /// expiry replay identically.
    /// The book may also hold other ledgers' transfers that an intent named by mistake; they are never this
    /// ledger's to expire.
    public List<TransferState> OpenHoldsExpiredAt(string ledger, DateTimeOffset now) =>
        transfers.Values.Where(t => t.Ledger == ledger && t.IsOpenHoldExpiredAt(now)).OrderBy(t => t.ExpiresAt).ThenBy(t => t.Sequence).ToList();

    public void TrimIfFull()
    {
        if (transfers.Count >= TransfersCachedMax)
        {
            transfers.Clear();
        }
    }

    public void Clear() => transfers.Clear();
}
