using Payments.Contracts;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// Checks of request fields that need no state. Each failure throws INVALID_ARGUMENT with a precise
/// reason before anything is written.
/// </summary>
public static class RequestGuards
{
    /// <summary>The longest accepted request_id or owner, in characters.</summary>
    public const int TextLengthMax = 128;

    /// <summary>The request_id, which must be present and at most <see cref="TextLengthMax"/> characters.</summary>
    public static string RequestId(string requestId)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            GrpcErrors.Throw(ResultCode.RequestIdRequired, "request_id is required (AIP-155).");
        }

        if (requestId.Length > TextLengthMax)
        {
            GrpcErrors.Throw(ResultCode.RequestIdTooLong, $"request_id is longer than {TextLengthMax} characters.");
        }

        return Text(requestId, "request_id");
    }

    /// <summary>
    /// <paramref name="value"/>, refused if it holds control characters: they have no business in ids or
    /// names, and PostgreSQL's jsonb cannot store U+0000 at all.
    /// </summary>
    public static string Text(string value, string field)
    {
        if (value.Any(char.IsControl))
        {
            GrpcErrors.Throw(ResultCode.TextInvalid, $"{field} must not contain control characters.");
        }

        return value;
    }

    /// <summary>The UUID in <paramref name="value"/>, in its canonical hyphenated form.</summary>
    public static Guid Id(string value, string field)
    {
        if (!Guid.TryParseExact(value, "D", out var id))
        {
            GrpcErrors.Throw(ResultCode.IdInvalid, $"{field} must be a UUID such as 123e4567-e89b-12d3-a456-426614174000.");
        }

        return id;
    }

    /// <summary>The currency, which must have the form of an ISO 4217 code.</summary>
    public static string Currency(string currency)
    {
        if (!CurrencyCodes.IsWellFormed(currency))
        {
            GrpcErrors.Throw(ResultCode.CurrencyInvalid, "currency must be an ISO 4217 code of three upper-case letters.");
        }

        return currency;
    }
}
