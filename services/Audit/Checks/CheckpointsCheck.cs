using Payments.Audit.Checkpoints;
using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Checks;

/// <summary>
/// The chain agrees with every signed checkpoint: each signature verifies with the audit key, and the chain
/// has the signed hash at the signed sequence. A superuser who rewrites history and recomputes every hash
/// passes the chain check but not this one, since the key that signed the old head is not in the database.
/// The anchor file (<see cref="AnchorFile"/>) counts as one more checkpoint, one the database cannot delete.
/// </summary>
internal sealed class CheckpointsCheck : ScanCheck
{
    private const string Name = "signed-checkpoints";
    private const string Title = "The chain matches every signed checkpoint: the latest one anchors it against a full rewrite.";
    private readonly AuditKey? key;
    private readonly IReadOnlyList<Checkpoint> checkpoints;
    private readonly Dictionary<long, List<Checkpoint>> valid = [];

    private readonly Checkpoint? anchor;
    private readonly bool startsAnchor;

    /// <param name="checkpoints">The database's checkpoints of the ledger, latest first.</param>
    /// <param name="anchor">What the anchor file holds, if the audit keeps one.</param>
    public CheckpointsCheck(IReadOnlyList<Checkpoint> checkpoints, AuditKey? key, string ledger, AnchorRead? anchor = null)
        : base(Name, Title)
    {
        this.key = key;
        if (anchor?.Problem is { } problem)
        {
            Findings.Add("the anchor file", problem);
        }
        else if (anchor?.Checkpoint is { } anchored && anchored.Ledger != ledger)
        {
            Findings.Add("the anchor file", $"it anchors ledger {anchored.Ledger}, not {ledger}");
        }
        else
        {
            this.anchor = anchor?.Checkpoint;
            startsAnchor = anchor is { Checkpoint: null };
        }

        this.checkpoints = this.anchor is null ? checkpoints : [.. checkpoints.Append(this.anchor).OrderByDescending(c => c.Sequence)];
        if (key is null)
        {
            return;
        }

        foreach (var checkpoint in this.checkpoints)
        {
            if (!key.Verify(CheckpointPayload.Of(checkpoint.Ledger, checkpoint.Sequence, checkpoint.HeadHash), checkpoint.Signature))
            {
                Findings.Add(Where(checkpoint), checkpoint.KeyId == key.Id
                    ? "the signature does not verify: the checkpoint was forged or altered"
                    : $"signed by key {checkpoint.KeyId}, not by the audit key {key.Id}: it cannot be trusted");
            }
            else if (checkpoint.Sequence == 0)
            {
                LatestVerified ??= checkpoint;
                Compare(checkpoint, ChainHead.Genesis.Hash);
            }
            else
            {
                LatestVerified ??= checkpoint;
                (valid.TryGetValue(checkpoint.Sequence, out var list) ? list : valid[checkpoint.Sequence] = []).Add(checkpoint);
            }
        }
    }

    /// <summary>The checkpoint with the highest sequence whose signature verified: the one that anchors this run.</summary>
    public Checkpoint? LatestVerified { get; }

    public override void Visit(ScannedTransfer transfer)
    {
        if (valid.Remove(transfer.Row.Sequence, out var here))
        {
            foreach (var checkpoint in here)
            {
                Compare(checkpoint, transfer.Row.Hash);
            }
        }
    }

    public override CheckResult Finish(ScanTotals totals)
    {
        if (key is null)
        {
            return Findings.Skipped("No audit key given: checkpoints were neither verified nor signed.");
        }

        foreach (var checkpoint in valid.Values.SelectMany(list => list).OrderBy(c => c.Sequence))
        {
            Findings.Add(Where(checkpoint), $"the chain ends at seq {totals.HeadSequence}: the transfers after it were removed");
        }

        // A first run with an anchor file starts it; said in the note, since a file that vanished looks the same.
        var anchorNote = startsAnchor ? " No anchor file yet: a clean run starts it." : "";
        return Findings.ToResult((LatestVerified is { } latest
            ? $"{checkpoints.Count} checkpoints checked with key {key.Id}; the latest that verifies is at seq {latest.Sequence}, signed {latest.SignedAt:O}."
            : checkpoints.Count > 0 ? $"None of {checkpoints.Count} checkpoints verifies with key {key.Id}."
            : $"No checkpoint yet: the chain was verified from genesis; a clean run signs the first one with key {key.Id}.") + anchorNote);
    }

    private void Compare(Checkpoint checkpoint, byte[] chainHash)
    {
        if (!chainHash.AsSpan().SequenceEqual(checkpoint.HeadHash))
        {
            Findings.Add(Where(checkpoint), $"the chain's hash here is {Convert.ToHexStringLower(chainHash)}, the signed one " +
                $"{Convert.ToHexStringLower(checkpoint.HeadHash)}: history up to this sequence was rewritten");
        }
    }

    private string Where(Checkpoint checkpoint) =>
        $"seq {checkpoint.Sequence} ({(ReferenceEquals(checkpoint, anchor) ? "the anchor file's " : "")}checkpoint {checkpoint.Id}, signed {checkpoint.SignedAt:O})";

    /// <summary>What reading the anchor file gave: its checkpoint (null before the first), or why it could not be read.</summary>
    public sealed record AnchorRead(Checkpoint? Checkpoint, string? Problem);
}
