using System.Runtime.InteropServices;
using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Checks;

/// <summary>
/// Every entry's running balances are its account's previous balances plus what the entry moves, and account
/// sequences run 1, 2, 3 without gaps. After a mismatch the check carries on from the recorded figures, so
/// each break is reported where it happens instead of once per later entry.
/// </summary>
/// <remarks>
/// What a capture or void moves depends on its hold, so the holds are checked here too: each capture or
/// void resolves an earlier, unresolved hold between the same accounts in the same currency, a void
/// releases exactly what was held and a capture posts no more. A resolution that broke these would move
/// pending amounts the balances could still sum correctly, a pending balance driven below zero included.
/// </remarks>
internal sealed class RunningBalancesCheck(IReadOnlyDictionary<Guid, AuditedAccount> accounts) : ScanCheck("running-balances",
    "Every account's running balances equal the sums of its entries, entry after entry.")
{
    // Per account met: its last entry's sequence and balances, and whether the account exists (looked up once).
    private readonly Dictionary<Guid, (long Sequence, Balances Balances, bool Exists)> latest = [];
    private readonly Dictionary<Guid, TransferRow> openHolds = [];

    public override void Visit(ScannedTransfer transfer)
    {
        var row = transfer.Row;
        var (posted, pending) = Movement(row);
        Apply(transfer.Debit, posted, pending);
        Apply(transfer.Credit, posted, pending);

        if (row.Kind == TransferKind.Pending)
        {
            openHolds[row.Id] = row;
        }
    }

    public override CheckResult Finish(ScanTotals totals) =>
        Findings.ToResult($"{latest.Count:N0} accounts followed through {totals.Entries:N0} entries.");

    // What a transfer adds to each side's (posted, pending) column: DESIGN.md's transfer kinds table.
    private (long Posted, long Pending) Movement(TransferRow row)
    {
        switch (row.Kind)
        {
            case TransferKind.Pending:
                return (0, row.AmountMinor);
            case TransferKind.VoidPending:
                if (Resolve(row) is { } voided && row.AmountMinor != voided.AmountMinor)
                {
                    Findings.Add(At(row), $"releases {row.AmountMinor} of hold {row.PendingId}, which holds {voided.AmountMinor}");
                }

                return (0, -row.AmountMinor);
            case TransferKind.PostPending:
                var captured = Resolve(row);
                if (captured is not null && row.AmountMinor > captured.AmountMinor)
                {
                    Findings.Add(At(row), $"posts {row.AmountMinor} of hold {row.PendingId}, which holds only {captured.AmountMinor}");
                }

                return (row.AmountMinor, -(captured?.AmountMinor ?? 0));
            default:
                return (row.AmountMinor, 0);
        }
    }

    // The hold a capture or void resolves, once: null (and a finding) when there is no such hold.
    private TransferRow? Resolve(TransferRow row)
    {
        if (!openHolds.Remove(row.PendingId ?? Guid.Empty, out var hold))
        {
            Findings.Add(At(row), $"resolves hold {row.PendingId}, which is not an earlier, unresolved hold");
            return null;
        }

        if (hold.DebitAccountId != row.DebitAccountId || hold.CreditAccountId != row.CreditAccountId || hold.Currency != row.Currency)
        {
            Findings.Add(At(row), $"resolves hold {row.PendingId} between other accounts or in another currency than it held");
        }

        return hold;
    }

    private void Apply(Entry? entry, long posted, long pending)
    {
        if (entry is null)
        {
            return;
        }

        ref var latestOfAccount = ref CollectionsMarshal.GetValueRefOrAddDefault(latest, entry.AccountId, out var met);
        var before = latestOfAccount;
        var exists = met ? before.Exists : accounts.ContainsKey(entry.AccountId);
        if (!exists)
        {
            Findings.Add(At(entry), "the account does not exist");
        }

        if (entry.AccountSequence != before.Sequence + 1)
        {
            Findings.Add(At(entry), $"follows account sequence {before.Sequence}");
        }

        var b = before.Balances;
        var expected = entry.Direction == EntryDirection.Debit
            ? ((Int128)b.DebitsPosted + posted, (Int128)b.CreditsPosted, (Int128)b.DebitsPending + pending, (Int128)b.CreditsPending)
            : ((Int128)b.DebitsPosted, (Int128)b.CreditsPosted + posted, (Int128)b.DebitsPending, (Int128)b.CreditsPending + pending);
        var a = entry.BalancesAfter;
        if (expected != (a.DebitsPosted, a.CreditsPosted, a.DebitsPending, a.CreditsPending))
        {
            Findings.Add(At(entry), $"records {Show(a.DebitsPosted, a.CreditsPosted, a.DebitsPending, a.CreditsPending)}, " +
                $"its entries add up to {Show(expected.Item1, expected.Item2, expected.Item3, expected.Item4)}");
        }

        latestOfAccount = (entry.AccountSequence, a, exists);
    }

    private static string Show(Int128 debitsPosted, Int128 creditsPosted, Int128 debitsPending, Int128 creditsPending) =>
        $"debits {debitsPosted}, credits {creditsPosted} posted; debits {debitsPending}, credits {creditsPending} pending";
}
