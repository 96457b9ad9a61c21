using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Payments.ServiceDefaults.Security;

/// <summary>The public keys tokens are verified with: a PEM file, a JWKS file, or the development key.</summary>
public static class SigningKeys
{
    /// <summary>The keys <paramref name="settings"/> name; the public half of the development key if they name none.</summary>
    public static IReadOnlyList<SecurityKey> Load(TokenSettings settings) =>
        KeyFile(settings) is { } path ? Parse(settings, File.ReadAllText(path)) : Development(settings);

    /// <summary>The file <paramref name="settings"/> read the keys from, or null for the development key.</summary>
    public static string? KeyFile(TokenSettings settings) =>
        !string.IsNullOrWhiteSpace(settings.JwksPath) ? settings.JwksPath
        : !string.IsNullOrWhiteSpace(settings.PublicKeyPath) ? settings.PublicKeyPath
        : null;

    /// <summary>The keys in <paramref name="fileText"/>, the content of <see cref="KeyFile"/>.</summary>
    public static IReadOnlyList<SecurityKey> Parse(TokenSettings settings, string fileText)
    {
        if (!string.IsNullOrWhiteSpace(settings.JwksPath))
        {
            var keys = new JsonWebKeySet(fileText).GetSigningKeys();
            return keys.Count > 0 ? [.. keys] : throw new InvalidOperationException($"The JWKS file {settings.JwksPath} holds no signing key.");
        }

        var key = ECDsa.Create();
        key.ImportFromPem(fileText);
        return [new ECDsaSecurityKey(key)];
    }

    // Only the public half is kept in the verifier: a service never mints.
    private static IReadOnlyList<SecurityKey> Development(TokenSettings settings)
    {
        using var development = DevelopmentKeys.LoadOrCreate(settings.DevelopmentKeyDirectory);
        var verifier = ECDsa.Create(development.ExportParameters(includePrivateParameters: false));
        return [new ECDsaSecurityKey(verifier)];
    }
}
