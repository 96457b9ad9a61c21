namespace Payments.Ledger.Domain;

/// <summary>Which side of a transfer an entry records; stored as 'D' or 'C'.</summary>
public enum EntryDirection
{
    /// <summary>The entry debits its account.</summary>
    Debit,

    /// <summary>The entry credits its account.</summary>
    Credit,
}
