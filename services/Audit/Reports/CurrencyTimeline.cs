using System.Runtime.InteropServices;
using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Reports;

/// <summary>
/// Follows volume and balances per currency through the scan for the report's chart. It keeps at most
/// <see cref="PointsMax"/> points per currency by halving its samples whenever they fill up, so its memory
/// does not grow with the ledger.
/// </summary>
internal sealed class CurrencyTimeline : ScanObserver
{
    private const int PointsMax = 240;
    private readonly Dictionary<string, Series> series = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (long Posted, long Pending)> accounts = [];

    public override void Visit(ScannedTransfer transfer)
    {
        var row = transfer.Row;
        if (!series.TryGetValue(row.Currency, out var s))
        {
            series[row.Currency] = s = new Series();
        }

        if (row.Kind is TransferKind.Posted or TransferKind.PostPending or TransferKind.Reversal)
        {
            s.Volume += row.AmountMinor;
        }

        Follow(s, transfer.Debit);
        Follow(s, transfer.Credit);

        s.Transfers++;
        s.Sample(row.CreatedAt, row.Sequence);
    }

    /// <summary>The figures of every currency met.</summary>
    public IReadOnlyList<CurrencySummary> Summaries() =>
        series.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new CurrencySummary(pair.Key, pair.Value.Transfers, pair.Value.Accounts,
            (decimal)pair.Value.Volume, (decimal)pair.Value.Held, (decimal)pair.Value.Pending, pair.Value.Points())).ToList();

    // Held money is the sum of positive posted balances; pending is the sum of debits reserved by holds.
    private void Follow(Series s, Entry? entry)
    {
        if (entry is null)
        {
            return;
        }

        ref var account = ref CollectionsMarshal.GetValueRefOrAddDefault(accounts, entry.AccountId, out var seen);
        var b = entry.BalancesAfter;
        var after = (Posted: b.CreditsPosted - b.DebitsPosted, Pending: b.DebitsPending);
        s.Held += Math.Max(0, after.Posted) - Math.Max(0, account.Posted);
        s.Pending += after.Pending - account.Pending;
        s.Accounts += seen ? 0 : 1;
        account = after;
    }

    private sealed class Series
    {
        private readonly List<TimelinePoint> points = [];
        private (DateTimeOffset At, long Sequence)? last;
        private long stride = 1;

        public long Transfers { get; set; }

        // Summed as integers, which cost a fraction of decimal arithmetic per entry; decimal only for the report.
        public Int128 Volume { get; set; }

        public Int128 Held { get; set; }

        public Int128 Pending { get; set; }

        public long Accounts { get; set; }

        // Called after each transfer of the series; a point is made only when kept, as most are skipped.
        public void Sample(DateTimeOffset at, long sequence)
        {
            last = (at, sequence);
            if (Transfers % stride != 0)
            {
                return;
            }

            points.Add(PointAt(at, sequence));
            if (points.Count == PointsMax)
            {
                // Keep every other point and sample half as often from now on.
                for (var i = 0; i < PointsMax / 2; i++)
                {
                    points[i] = points[(2 * i) + 1];
                }

                points.RemoveRange(PointsMax / 2, PointsMax / 2);
                stride *= 2;
            }
        }

        // The series' figures stop changing after its last transfer, so the last point can be made at the end.
        public IReadOnlyList<TimelinePoint> Points() =>
            last is not { } end || (points.Count > 0 && points[^1].Sequence == end.Sequence) ? points.ToList() : [.. points, PointAt(end.At, end.Sequence)];

        private TimelinePoint PointAt(DateTimeOffset at, long sequence) => new(at, sequence, (decimal)Volume, (decimal)Held, (decimal)Pending);
    }
}
