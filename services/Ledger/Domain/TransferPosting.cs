namespace Payments.Ledger.Domain;

/// <summary>
/// Turns a validated draft into a transfer with its two entries and the accounts' new states. Runs only
/// after validation said OK, so an arithmetic failure or a negative balance here is a bug, not a refusal.
/// </summary>
public static class TransferPosting
{
    /// <summary>The outcome of posting: the transfer and both accounts after it.</summary>
    public sealed record Posted(Transfer Transfer, AccountState DebitAfter, AccountState CreditAfter);

    /// <summary>Commits <paramref name="draft"/> as the transfer after <paramref name="head"/>.</summary>
    public static Posted Commit(TransferDraft draft, AccountState debit, AccountState credit, ChainHead head)
    {
        var (posted, pending) = draft.Delta;
        var debitAfter = debit with
        {
            Balances = debit.Balances with
            {
                DebitsPosted = checked(debit.Balances.DebitsPosted + posted),
                DebitsPending = checked(debit.Balances.DebitsPending + pending),
            },
            Sequence = checked(debit.Sequence + 1),
        };
        var creditAfter = credit with
        {
            Balances = credit.Balances with
            {
                CreditsPosted = checked(credit.Balances.CreditsPosted + posted),
                CreditsPending = checked(credit.Balances.CreditsPending + pending),
            },
            Sequence = checked(credit.Sequence + 1),
        };
        Invariant.Assert(debitAfter.Balances.DebitsPending >= 0 && creditAfter.Balances.CreditsPending >= 0, "pending balances never go negative");

        var sequence = checked(head.Sequence + 1);
        var unhashed = new Transfer(draft.Id, draft.Ledger, sequence, draft.DebitAccountId, draft.CreditAccountId,
            draft.AmountMinor, draft.Currency, draft.Kind, draft.EventId, draft.TraceId, draft.Principal, draft.CreatedAt,
            EntryOf(draft, debitAfter, sequence, EntryDirection.Debit), EntryOf(draft, creditAfter, sequence, EntryDirection.Credit),
            head.Hash, [])
        {
            PendingId = draft.PendingId,
            ReversalOfId = draft.ReversalOfId,
            ExpiresAt = draft.ExpiresAt,
            Expired = draft.Expired,
        };
        return new Posted(unhashed with { Hash = TransferHasher.Hash(head.Hash, unhashed) }, debitAfter, creditAfter);
    }

    private static Entry EntryOf(TransferDraft draft, AccountState after, long sequence, EntryDirection direction) =>
        new(after.Account.Id, after.Sequence, draft.Id, draft.Ledger, sequence, direction, draft.AmountMinor, draft.Currency,
            after.Balances, draft.CreatedAt);
}
