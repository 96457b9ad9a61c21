using System.Buffers.Text;
using System.Text;
using Grpc.Core;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// Page sizes and page tokens (AIP-158). A token names the query it belongs to, so a token from one
/// account's listing cannot be replayed against another's.
/// </summary>
public static class Paging
{
    /// <summary>The page size when the caller asks for none.</summary>
    public const int PageSizeDefault = 100;

    /// <summary>The largest page a caller may ask for.</summary>
    public const int PageSizeMax = 1000;

    /// <summary>The effective page size for a requested one.</summary>
    public static int PageSize(int requested)
    {
        if (requested is < 0 or > PageSizeMax)
        {
            GrpcErrors.Throw(ResultCode.PageSizeInvalid, $"page_size must be between 0 and {PageSizeMax}.");
        }

        return requested == 0 ? PageSizeDefault : requested;
    }

    /// <summary>A token that resumes <paramref name="scope"/> after position <paramref name="after"/>.</summary>
    public static string Token(string scope, long after) => Encode(scope, $"{after}");

    /// <summary>A token that resumes <paramref name="scope"/> after the row with id <paramref name="after"/>.</summary>
    public static string Token(string scope, Guid after) => Encode(scope, after.ToString("D"));

    /// <summary>The position a token resumes after; 0 for an empty token.</summary>
    public static long After(string token, string scope) =>
        token.Length == 0 ? 0
        : long.TryParse(Position(token, scope), out var after) && after >= 0 ? after
        : throw Invalid();

    /// <summary>The row id a token resumes after; null for an empty token.</summary>
    public static Guid? AfterId(string token, string scope) =>
        token.Length == 0 ? null
        : Guid.TryParseExact(Position(token, scope), "D", out var after) ? after
        : throw Invalid();

    private static string Encode(string scope, string position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{scope}|{position}"));

    // The position part of a token issued for scope, or null for anything else.
    private static string? Position(string token, string scope)
    {
        try
        {
            // The scope may hold the separator itself (a principal such as "auth0|42"); the position never does.
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var separator = text.LastIndexOf('|');
            return separator >= 0 && text.AsSpan(0, separator).SequenceEqual(scope) ? text[(separator + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static RpcException Invalid() => GrpcErrors.For(ResultCode.PageTokenInvalid, "page_token was not issued for this query.");
}
