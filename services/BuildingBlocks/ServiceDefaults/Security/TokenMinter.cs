using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// Writes ES256 JSON Web Tokens (RFC 7519) by hand: the development CLI and the tests need nothing more,
/// and the tests need to write broken ones too (wrong issuer, expired, unsigned), which a library resists.
/// </summary>
public static class TokenMinter
{
    /// <summary>The claims of one token; <see cref="Header"/> and <see cref="Payload"/> write them.</summary>
    public sealed record Claims(string Issuer, string Audience, string Subject, IEnumerable<string> Scopes, DateTimeOffset IssuedAt, TimeSpan Lifetime);

    /// <summary>A signed ES256 token.</summary>
    public static string Mint(ECDsa key, Claims claims) => Sign(key, Header("ES256"), Payload(claims));

    /// <summary>The base64url JOSE header naming <paramref name="algorithm"/>.</summary>
    public static string Header(string algorithm) => Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
    {
        ["alg"] = algorithm, ["typ"] = "JWT",
    }));

    /// <summary>The base64url payload of <paramref name="claims"/>.</summary>
    public static string Payload(Claims claims) => Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["iss"] = claims.Issuer,
        ["aud"] = claims.Audience,
        ["sub"] = claims.Subject,
        ["scope"] = string.Join(' ', claims.Scopes),
        ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
        ["nbf"] = claims.IssuedAt.ToUnixTimeSeconds(),
        ["exp"] = (claims.IssuedAt + claims.Lifetime).ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString("N"),
    }));

    /// <summary>Header and payload joined and signed with ECDSA P-256 over SHA-256 (r||s, as JWS requires).</summary>
    public static string Sign(ECDsa key, string header, string payload)
    {
        var signingInput = header + "." + payload;
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Encode(signature);
    }

    /// <summary>Base64url without padding (RFC 7515 section 2).</summary>
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
