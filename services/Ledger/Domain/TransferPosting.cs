namespace Payments.Ledger.Domain;

/// <summary>
/// Turns a validated command into a transfer with its two entries and the accounts' new states.
/// Runs only after <see cref="TransferValidator"/> said OK, so any arithmetic failure here is a bug.
/// </summary>
public static class TransferPosting
{
    /// <summary>The outcome of posting: the transfer and both accounts after it.</summary>
    public sealed record Posted(Transfer Transfer, AccountState DebitAfter, AccountState CreditAfter);

    /// <summary>Posts <paramref name="command"/> as the transfer after <paramref name="head"/>.</summary>
    public static Posted Post(
        TransferCommand command, AccountState debit, AccountState credit, ChainHead head,
        Guid eventId, string? traceId, string principal, DateTimeOffset createdAt)
    {
        var sequence = checked(head.Sequence + 1);
        var debitAfter = debit with
        {
            Balances = debit.Balances with { DebitsPosted = checked(debit.Balances.DebitsPosted + command.AmountMinor) },
            Sequence = checked(debit.Sequence + 1),
        };
        var creditAfter = credit with
        {
            Balances = credit.Balances with { CreditsPosted = checked(credit.Balances.CreditsPosted + command.AmountMinor) },
            Sequence = checked(credit.Sequence + 1),
        };

        var debitEntry = new Entry(debit.Account.Id, debitAfter.Sequence, command.Id, command.Ledger, sequence,
            EntryDirection.Debit, command.AmountMinor, command.Currency, debitAfter.Balances, createdAt);
        var creditEntry = new Entry(credit.Account.Id, creditAfter.Sequence, command.Id, command.Ledger, sequence,
            EntryDirection.Credit, command.AmountMinor, command.Currency, creditAfter.Balances, createdAt);

        var unhashed = new Transfer(command.Id, command.Ledger, sequence, command.DebitAccountId, command.CreditAccountId,
            command.AmountMinor, command.Currency, TransferKind.Posted, eventId, traceId, principal, createdAt,
            debitEntry, creditEntry, head.Hash, []);
        var transfer = unhashed with { Hash = TransferHasher.Hash(head.Hash, unhashed) };

        Invariant.Assert(debitEntry.AmountMinor == creditEntry.AmountMinor, "a transfer's debit equals its credit");
        return new Posted(transfer, debitAfter, creditAfter);
    }
}
