using Payments.Ledger.Domain;

namespace Payments.Ledger.Storage;

/// <summary>How domain enums are spelled in the database.</summary>
internal static class StoredNames
{
    public static string Of(TransferKind kind) => kind switch
    {
        TransferKind.Posted => "POSTED",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static TransferKind KindOf(string stored) => stored switch
    {
        "POSTED" => TransferKind.Posted,
        _ => throw new InvalidDataException($"Unknown transfer kind '{stored}'."),
    };

    public static string Of(EntryDirection direction) => direction == EntryDirection.Debit ? "D" : "C";

    public static EntryDirection DirectionOf(string stored) => stored switch
    {
        "D" => EntryDirection.Debit,
        "C" => EntryDirection.Credit,
        _ => throw new InvalidDataException($"Unknown entry direction '{stored}'."),
    };

    public static AccountLimits LimitsOf(bool debitsMustNotExceedCredits, bool creditsMustNotExceedDebits) =>
        (debitsMustNotExceedCredits ? AccountLimits.DebitsMustNotExceedCredits : AccountLimits.None)
        | (creditsMustNotExceedDebits ? AccountLimits.CreditsMustNotExceedDebits : AccountLimits.None);
}
