using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Checks;

/// <summary>
/// No account ever broke the balance flag it was opened with, at any entry: checking only the latest balance
/// would miss an overdraft that was later paid back.
/// </summary>
internal sealed class BalanceFlagsCheck(IReadOnlyDictionary<Guid, AuditedAccount> accounts) : ScanCheck("balance-flags",
    "No account's balance flags were ever broken, at any entry.")
{
    private long entriesChecked;

    public override void Visit(ScannedTransfer transfer)
    {
        Check(transfer.Debit);
        Check(transfer.Credit);
    }

    public override CheckResult Finish(ScanTotals totals) =>
        Findings.ToResult($"{entriesChecked:N0} entries on flagged accounts checked.");

    private void Check(Entry? entry)
    {
        if (entry is null || !accounts.TryGetValue(entry.AccountId, out var account) || account.Limits == AccountLimits.None)
        {
            return;
        }

        entriesChecked++;
        var b = entry.BalancesAfter;
        if (account.Limits.HasFlag(AccountLimits.DebitsMustNotExceedCredits) && (Int128)b.DebitsPosted + b.DebitsPending > b.CreditsPosted)
        {
            Findings.Add(At(entry), $"debits {b.DebitsPosted} posted + {b.DebitsPending} pending exceed credits {b.CreditsPosted}");
        }

        if (account.Limits.HasFlag(AccountLimits.CreditsMustNotExceedDebits) && (Int128)b.CreditsPosted + b.CreditsPending > b.DebitsPosted)
        {
            Findings.Add(At(entry), $"credits {b.CreditsPosted} posted + {b.CreditsPending} pending exceed debits {b.DebitsPosted}");
        }
    }
}
