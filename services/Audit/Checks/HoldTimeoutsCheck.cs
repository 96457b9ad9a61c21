using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Checks;

/// <summary>
/// No hold outlives its timeout: a hold past its expiry (plus a grace period for the ledger's clock) is
/// resolved, a capture or void happened before the expiry, and an expiry release did not come early.
/// </summary>
internal sealed class HoldTimeoutsCheck(DateTimeOffset now, TimeSpan grace) : ScanCheck("hold-timeouts",
    "No pending transfer outlives its timeout.")
{
    private readonly Dictionary<Guid, (long Sequence, DateTimeOffset ExpiresAt)> open = [];

    public override void Visit(ScannedTransfer transfer)
    {
        var row = transfer.Row;
        if (row.Kind == TransferKind.Pending && row.ExpiresAt is { } expiresAt)
        {
            open[row.Id] = (row.Sequence, expiresAt);
            return;
        }

        if (row.Kind is not (TransferKind.PostPending or TransferKind.VoidPending) || !open.Remove(row.PendingId ?? Guid.Empty, out var hold))
        {
            return;
        }

        if (!row.Expired && row.CreatedAt >= hold.ExpiresAt)
        {
            Findings.Add(At(row), $"resolves hold {row.PendingId} at {row.CreatedAt:O}, after it expired at {hold.ExpiresAt:O}");
        }
        else if (row.Expired && row.CreatedAt < hold.ExpiresAt)
        {
            Findings.Add(At(row), $"expires hold {row.PendingId} at {row.CreatedAt:O}, before its expiry at {hold.ExpiresAt:O}");
        }
    }

    public override CheckResult Finish(ScanTotals totals)
    {
        var deadline = now - grace;
        foreach (var (id, hold) in open.Where(pair => pair.Value.ExpiresAt < deadline).OrderBy(pair => pair.Value.Sequence))
        {
            Findings.Add($"seq {hold.Sequence} (transfer {id})", $"the hold expired at {hold.ExpiresAt:O} and is still open");
        }

        return Findings.ToResult($"{open.Count:N0} holds open; due ones get a grace of {grace.TotalSeconds:0} s after their expiry (now {now:O}).");
    }
}
