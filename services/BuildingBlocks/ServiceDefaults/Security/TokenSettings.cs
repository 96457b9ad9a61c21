namespace Payments.ServiceDefaults.Security;

/// <summary>
/// Configuration section <c>Authentication</c>: who issues the tokens the services accept, for whom, and
/// with which keys. With neither <see cref="PublicKeyPath"/> nor <see cref="JwksPath"/> the services use
/// the local development key (ADR 0030); naming either one is a production key set, and then
/// <c>paymentsctl token</c> refuses to mint.
/// </summary>
public sealed class TokenSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Authentication";

    /// <summary>The issuer of development tokens.</summary>
    public const string DevelopmentIssuer = "payments-dev";

    /// <summary>The audience every service of the platform expects by default.</summary>
    public const string DefaultAudience = "payments";

    /// <summary>The only accepted <c>iss</c>.</summary>
    public string Issuer { get; set; } = DevelopmentIssuer;

    /// <summary>The only accepted <c>aud</c>.</summary>
    public string Audience { get; set; } = DefaultAudience;

    /// <summary>A PEM file with the issuer's EC P-256 public key.</summary>
    public string? PublicKeyPath { get; set; }

    /// <summary>A JWKS file (RFC 7517) with the issuer's public keys, for key rotation.</summary>
    public string? JwksPath { get; set; }

    /// <summary>Where the development key lives; empty means <see cref="DevelopmentKeys.DefaultDirectory"/>.</summary>
    public string? DevelopmentKeyDirectory { get; set; }

    /// <summary>Tolerated clock difference between issuer and service.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// How many validated tokens each service remembers, so a repeated token skips its signature check until
    /// its expiry (<see cref="VerifiedTokenCache"/>, ADR 0043); 0 checks every call.
    /// </summary>
    public int VerifiedTokenCacheSize { get; set; } = 10_000;

    /// <summary>
    /// How often, at most, the key file is looked at for a rotation (<see cref="SigningKeySource"/>); a key
    /// dropped from it stops being accepted within this time, remembered tokens included.
    /// </summary>
    public int KeyRefreshSeconds { get; set; } = 30;

    /// <summary>True when a production key set is configured.</summary>
    public bool HasProductionKeys => !string.IsNullOrWhiteSpace(PublicKeyPath) || !string.IsNullOrWhiteSpace(JwksPath);
}
