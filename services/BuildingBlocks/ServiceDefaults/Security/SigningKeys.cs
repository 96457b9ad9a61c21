using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Payments.ServiceDefaults.Security;

/// <summary>The public keys tokens are verified with: a PEM file, a JWKS file, or the development key.</summary>
public static class SigningKeys
{
    /// <summary>The keys <paramref name="settings"/> name; the public half of the development key if they name none.</summary>
    public static IReadOnlyList<SecurityKey> Load(TokenSettings settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.JwksPath))
        {
            var keys = new JsonWebKeySet(File.ReadAllText(settings.JwksPath)).GetSigningKeys();
            return keys.Count > 0 ? [.. keys] : throw new InvalidOperationException($"The JWKS file {settings.JwksPath} holds no signing key.");
        }

        if (!string.IsNullOrWhiteSpace(settings.PublicKeyPath))
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(settings.PublicKeyPath));
            return [new ECDsaSecurityKey(key)];
        }

        // Only the public half is kept in the verifier: a service never mints.
        using var development = DevelopmentKeys.LoadOrCreate(settings.DevelopmentKeyDirectory);
        var verifier = ECDsa.Create(development.ExportParameters(includePrivateParameters: false));
        return [new ECDsaSecurityKey(verifier)];
    }
}
