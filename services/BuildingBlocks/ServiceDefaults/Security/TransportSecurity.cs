using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// TLS comes from Kestrel's own configuration (an https:// URL and <c>Kestrel:Certificates:Default</c>).
/// With <c>Security:RequireTls</c> true, a service refuses to start if any of its endpoints is plaintext,
/// so a misconfigured deployment fails loudly instead of serving tokens in the clear.
/// </summary>
public static class TransportSecurity
{
    /// <summary>Throws at startup when TLS is required and a configured address is plaintext.</summary>
    public static void RefusePlaintextIfRequired(WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>("Security:RequireTls"))
        {
            return;
        }

        var addresses = (builder.Configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Concat(builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"] ?? string.Empty));
        var plaintext = addresses.Where(address => address.StartsWith("http://", StringComparison.OrdinalIgnoreCase)).ToList();
        if (plaintext.Count > 0 || !addresses.Any())
        {
            throw new InvalidOperationException(
                $"Security:RequireTls is set but the service would listen in plaintext ({string.Join(", ", plaintext.DefaultIfEmpty("default http address"))}).");
        }
    }
}
