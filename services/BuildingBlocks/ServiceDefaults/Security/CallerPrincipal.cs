using Grpc.Core;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// Who is calling. Until authentication lands (issue 7), every call is the development principal;
/// the rest of the code already asks this one place, so switching to token claims changes nothing else.
/// See docs/adr/0004-development-principal-until-authentication.md.
/// </summary>
public static class CallerPrincipal
{
    /// <summary>The principal of every unauthenticated call in embedded development mode.</summary>
    public const string Development = "dev";

    /// <summary>The authenticated subject of the call, or <see cref="Development"/>.</summary>
    public static string Of(ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true
            ? user.FindFirst("sub")?.Value ?? user.Identity.Name ?? Development
            : Development;
    }
}
