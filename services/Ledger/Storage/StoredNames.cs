using Payments.Ledger.Domain;

namespace Payments.Ledger.Storage;

/// <summary>How domain enums are spelled in the database.</summary>
internal static class StoredNames
{
    public static string Of(TransferKind kind) => kind switch
    {
        TransferKind.Posted => "POSTED",
        TransferKind.Pending => "PENDING",
        TransferKind.PostPending => "POST_PENDING",
        TransferKind.VoidPending => "VOID_PENDING",
        TransferKind.Reversal => "REVERSAL",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static TransferKind KindOf(string stored) => stored switch
    {
        "POSTED" => TransferKind.Posted,
        "PENDING" => TransferKind.Pending,
        "POST_PENDING" => TransferKind.PostPending,
        "VOID_PENDING" => TransferKind.VoidPending,
        "REVERSAL" => TransferKind.Reversal,
        _ => throw new InvalidDataException($"Unknown transfer kind '{stored}'."),
    };

    public static string Of(AccountStatus status) => status.ToString().ToUpperInvariant();

    public static AccountStatus StatusOf(string? stored) => stored switch
    {
        null or "ACTIVE" => AccountStatus.Active,
        "FROZEN" => AccountStatus.Frozen,
        "CLOSED" => AccountStatus.Closed,
        _ => throw new InvalidDataException($"Unknown account status '{stored}'."),
    };

    public static HoldResolution ResolutionOf(string? resolvingKind, bool expired) => resolvingKind switch
    {
        null => HoldResolution.Open,
        "POST_PENDING" => HoldResolution.Posted,
        _ => expired ? HoldResolution.Expired : HoldResolution.Voided,
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
