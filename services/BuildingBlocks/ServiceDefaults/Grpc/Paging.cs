using System.Buffers.Text;
using System.Text;
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
    public static string Token(string scope, long after) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{scope}|{after}"));

    /// <summary>The position a token resumes after; 0 for an empty token.</summary>
    public static long After(string token, string scope)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
            if (parts.Length == 2 && parts[0] == scope && long.TryParse(parts[1], out var after) && after >= 0)
            {
                return after;
            }
        }
        catch (FormatException)
        {
            // Falls through to the precise error below.
        }

        throw GrpcErrors.For(ResultCode.PageTokenInvalid, "page_token was not issued for this query.");
    }
}
