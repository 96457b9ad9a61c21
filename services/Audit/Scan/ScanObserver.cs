using Payments.Ledger.Domain;

namespace Payments.Audit.Scan;

/// <summary>
/// Anything fed by the single ordered scan of the ledger: it sees every transfer once, in commit order, with
/// its entries, and every entry that stands where no transfer of its own does.
/// </summary>
internal abstract class ScanObserver
{
    /// <summary>Called once per transfer, in commit order.</summary>
    public abstract void Visit(ScannedTransfer transfer);

    /// <summary>Called for an entry whose ledger sequence has no transfer.</summary>
    public virtual void VisitOrphan(Entry entry)
    {
    }
}
