using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Checks;

/// <summary>Per currency, all debit entries add up to all credit entries: money is neither made nor lost.</summary>
internal sealed class CurrencySumsCheck() : ScanCheck("currency-sums", "Per currency, the sum of all entries is zero.")
{
    // Int128: a sum of int64 amounts cannot overflow it for any ledger that fits in a database.
    private readonly Dictionary<string, Int128> balance = new(StringComparer.Ordinal);

    public override void Visit(ScannedTransfer transfer)
    {
        Add(transfer.Debit);
        Add(transfer.Credit);
        foreach (var stray in transfer.Strays)
        {
            Add(stray);
        }
    }

    public override void VisitOrphan(Entry entry) => Add(entry);

    public override CheckResult Finish(ScanTotals totals)
    {
        foreach (var (currency, sum) in balance.Where(pair => pair.Value != 0).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Findings.Add(currency, $"credits minus debits is {sum}, not 0");
        }

        return Findings.ToResult($"Currencies: {string.Join(", ", balance.Keys.Order(StringComparer.Ordinal))}.");
    }

    private void Add(Entry? entry)
    {
        if (entry is null)
        {
            return;
        }

        ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(balance, entry.Currency, out _);
        sum += entry.Direction == EntryDirection.Credit ? entry.AmountMinor : -entry.AmountMinor;
    }
}
