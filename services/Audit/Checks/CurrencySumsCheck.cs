using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Checks;

/// <summary>Per currency, all debit entries add up to all credit entries: money is neither made nor lost.</summary>
internal sealed class CurrencySumsCheck() : ScanCheck("currency-sums", "Per currency, the sum of all entries is zero.")
{
    // Int128: a sum of int64 amounts cannot overflow it for any ledger that fits in a database.
    private readonly SortedDictionary<string, Int128> balance = new(StringComparer.Ordinal);

    public override void Visit(ScannedTransfer transfer)
    {
        foreach (var entry in transfer.Entries.Concat(transfer.Strays))
        {
            Add(entry);
        }
    }

    public override void VisitOrphan(Entry entry) => Add(entry);

    public override CheckResult Finish(ScanTotals totals)
    {
        foreach (var (currency, sum) in balance.Where(pair => pair.Value != 0))
        {
            Findings.Add(currency, $"credits minus debits is {sum}, not 0");
        }

        return Findings.ToResult($"{balance.Count} currencies: {string.Join(", ", balance.Keys)}.");
    }

    private void Add(Entry entry)
    {
        balance.TryGetValue(entry.Currency, out var sum);
        balance[entry.Currency] = sum + (entry.Direction == EntryDirection.Credit ? entry.AmountMinor : -entry.AmountMinor);
    }
}
