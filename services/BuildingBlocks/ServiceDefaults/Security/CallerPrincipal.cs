using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// Who is calling: the <c>sub</c> of the validated bearer token. This is the one place that reads
/// identity; payment and account ids derive from it, so idempotency is per principal.
/// See docs/adr/0030-jwt-authentication-and-development-keys.md.
/// </summary>
public static class CallerPrincipal
{
    /// <summary>The authenticated subject of the call.</summary>
    public static string Of(ServerCallContext context) =>
        Subject(context) ?? throw GrpcErrors.For(ResultCode.Unauthenticated, "The call carries no valid bearer token.");

    /// <summary>The subject, or null for a call without a validated token.</summary>
    public static string? Subject(ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true ? user.FindFirst("sub")?.Value : null;
    }

    /// <summary>True when the caller's token grants <paramref name="scope"/>.</summary>
    public static bool HasScope(ServerCallContext context, string scope) =>
        context.GetHttpContext().User.FindAll("scope")
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);

    /// <summary>True for an accounts administrator, whom ownership checks do not bind.</summary>
    public static bool IsAdministrator(ServerCallContext context) => HasScope(context, Scopes.AccountsAdmin);
}
