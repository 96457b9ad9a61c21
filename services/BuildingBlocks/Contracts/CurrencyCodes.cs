using System.Text.RegularExpressions;

namespace Payments.Contracts;

/// <summary>The form of a currency code, shared by the API's request checks and the ledger's validation.</summary>
public static partial class CurrencyCodes
{
    /// <summary>True for three upper-case ASCII letters, the form of ISO 4217 alphabetic codes.</summary>
    public static bool IsWellFormed(string currency) => Pattern().IsMatch(currency);

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Pattern();
}
