namespace Payments.Contracts;

/// <summary>The form of a currency code, shared by the API's request checks and the ledger's validation.</summary>
public static class CurrencyCodes
{
    /// <summary>True for three upper-case ASCII letters, the form of ISO 4217 alphabetic codes.</summary>
    /// <remarks>
    /// Compared letter by letter rather than with a regular expression: .NET's <c>$</c> also matches
    /// before a final line feed, so <c>^[A-Z]{3}$</c> admitted "EUR\n", which the ledger's
    /// <c>char(3)</c> column then refused on the writer's path.
    /// </remarks>
    public static bool IsWellFormed(string currency) =>
        currency.Length == 3 && currency.All(letter => letter is >= 'A' and <= 'Z');
}
