namespace Payments.Ledger.Domain;

/// <summary>The balance limits an account is opened with; at most one may be set.</summary>
[Flags]
public enum AccountLimits
{
    /// <summary>No limit: the account may go negative either way (a funding or settlement account).</summary>
    None = 0,

    /// <summary>Debits (posted and pending) may not exceed posted credits: no overdraft.</summary>
    DebitsMustNotExceedCredits = 1,

    /// <summary>Credits (posted and pending) may not exceed posted debits.</summary>
    CreditsMustNotExceedDebits = 2,
}
