namespace Payments.Ledger.Domain;

/// <summary>An account's running totals in minor units, as recorded on its latest entry.</summary>
public readonly record struct Balances(long DebitsPosted, long CreditsPosted, long DebitsPending, long CreditsPending)
{
    /// <summary>Posted credits minus posted debits. Both are non-negative, so the difference cannot overflow.</summary>
    public long Posted => CreditsPosted - DebitsPosted;

    /// <summary>Posted credits minus posted and pending debits, clamped to the int64 range.</summary>
    public long Available => Clamp((Int128)CreditsPosted - DebitsPosted - DebitsPending);

    private static long Clamp(Int128 value) =>
        value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;
}
