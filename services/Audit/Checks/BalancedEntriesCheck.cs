using Payments.Audit.Scan;
using Payments.Ledger.Domain;

namespace Payments.Audit.Checks;

/// <summary>
/// Every transfer has exactly one debit and one credit entry, of its amount, on its accounts, in its currency,
/// at its time. The chain hash covers an entry's account, sequences, direction, amount and balances; its other
/// columns are tied to the hashed transfer: ledger, ledger sequence and transfer id by where the entry stands,
/// currency and time here. So no column of an entry can change without a finding.
/// </summary>
internal sealed class BalancedEntriesCheck() : ScanCheck("balanced-entries",
    "Every transfer has one debit and one credit entry of its amount, on its accounts, in its currency, at its time.")
{
    public override void Visit(ScannedTransfer transfer)
    {
        var row = transfer.Row;
        if (transfer.Debit is null)
        {
            Findings.Add(At(row), "the debit entry is missing");
        }

        if (transfer.Credit is null)
        {
            Findings.Add(At(row), "the credit entry is missing");
        }

        CheckSide(row, transfer.Debit, row.DebitAccountId);
        CheckSide(row, transfer.Credit, row.CreditAccountId);
        foreach (var stray in transfer.Strays)
        {
            Findings.Add(At(row), $"a {stray.Direction} entry of transfer {stray.TransferId} (account {stray.AccountId}) stands at this sequence");
        }
    }

    public override void VisitOrphan(Entry entry) =>
        Findings.Add(At(entry), $"this {entry.Direction} entry of transfer {entry.TransferId} has no transfer at its sequence");

    public override CheckResult Finish(ScanTotals totals) =>
        Findings.ToResult($"{totals.Transfers:N0} transfers and {totals.Entries:N0} entries compared.");

    private void CheckSide(TransferRow row, Entry? entry, Guid accountId)
    {
        if (entry is null)
        {
            return;
        }

        if (entry.AccountId != accountId)
        {
            Findings.Add(At(row), $"the {entry.Direction} entry is on account {entry.AccountId}, the transfer names {accountId}");
        }

        if (entry.AmountMinor != row.AmountMinor)
        {
            Findings.Add(At(row), $"the {entry.Direction} entry is for {entry.AmountMinor}, the transfer for {row.AmountMinor}");
        }

        if (entry.Currency != row.Currency)
        {
            Findings.Add(At(row), $"the {entry.Direction} entry is in {entry.Currency}, the transfer in {row.Currency}");
        }

        if (entry.CreatedAt != row.CreatedAt)
        {
            Findings.Add(At(row), $"the {entry.Direction} entry was written at {entry.CreatedAt:O}, the transfer at {row.CreatedAt:O}");
        }
    }
}
