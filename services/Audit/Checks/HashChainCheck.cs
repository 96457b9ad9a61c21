using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Checks;

/// <summary>
/// Recomputes every transfer's hash with the ledger's own <see cref="TransferHasher"/> and checks each link, in
/// commit order from genesis. Each break is reported at its own sequence, and the check goes on from the
/// stored hash, so one changed row yields one finding and a reordering yields one per moved row.
/// </summary>
internal sealed class HashChainCheck() : ScanCheck("hash-chain",
    "The hash chain recomputes from genesis with the ledger's canonical bytes, link by link.")
{
    private ChainHead head = ChainHead.Genesis;

    /// <summary>The last transfer's sequence and stored hash.</summary>
    public ChainHead Head => head;

    public override void Visit(ScannedTransfer transfer)
    {
        var row = transfer.Row;
        if (row.Sequence != head.Sequence + 1)
        {
            Findings.Add(At(row), $"sequences {head.Sequence + 1} to {row.Sequence - 1} are missing");
        }

        if (!row.PrevHash.AsSpan().SequenceEqual(head.Hash))
        {
            Findings.Add(At(row), $"prev_hash does not link to the hash of seq {head.Sequence}");
        }

        if (transfer.ToDomain() is not { } whole)
        {
            Findings.Add(At(row), "cannot be recomputed: an entry is missing");
        }
        else if (!TransferHasher.Hash(row.PrevHash, whole).AsSpan().SequenceEqual(row.Hash))
        {
            Findings.Add(At(row), "the stored hash does not match the transfer and entries as stored");
        }

        head = new ChainHead(row.Sequence, row.Hash);
    }

    public override CheckResult Finish(ScanTotals totals) =>
        Findings.ToResult($"{totals.Transfers:N0} transfers recomputed; head seq {head.Sequence}, hash {Convert.ToHexStringLower(head.Hash)}.");
}
