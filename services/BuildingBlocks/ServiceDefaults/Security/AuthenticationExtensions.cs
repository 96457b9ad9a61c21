using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// JWT bearer authentication: the middleware only establishes who the caller is. Whether the call may
/// proceed is decided by <see cref="CallAuthorizationInterceptor"/>, which answers with the platform's
/// ErrorInfo reasons rather than the bare HTTP 401/403 of ASP.NET Core authorization.
/// </summary>
public static class AuthenticationExtensions
{
    /// <summary>Registers JWT bearer validation from the <c>Authentication</c> section.</summary>
    public static WebApplicationBuilder AddPaymentsAuthentication(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(TokenSettings.Section).Get<TokenSettings>() ?? new TokenSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(provider => new SigningKeySource(
            settings, TimeProvider.System, provider.GetRequiredService<ILogger<SigningKeySource>>()));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // Built at start (ValidateOnStart), so a key file that cannot be used stops the service there rather
        // than failing every request after it, the failure cached with the options.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).ValidateOnStart().Configure<SigningKeySource>((options, keys) =>
        {
            // Claims keep their JWT names (sub, scope); nothing is fetched from an authority.
            options.MapInboundClaims = false;
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(new VerifiedTokenCache(
                new JsonWebTokenHandler { MapInboundClaims = false }, settings.VerifiedTokenCacheSize, TimeProvider.System, () => keys.Generation));
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                // Asked on every full validation, so a rotated key file is picked up without a restart.
                IssuerSigningKeyResolver = (_, _, kid, _) => keys.For(kid),

                // Pinned: a token cannot choose its own algorithm (no "none", no HMAC with the public key).
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                ClockSkew = TimeSpan.FromSeconds(settings.ClockSkewSeconds),
                NameClaimType = "sub",
            };
        });
        return builder;
    }
}
