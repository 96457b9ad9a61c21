using System.Security.Cryptography;

namespace Payments.Audit.Checkpoints;

/// <summary>
/// The audit's ECDSA P-256 key, read from a PEM file the database never sees. A private key signs and
/// verifies; a public key (SubjectPublicKeyInfo PEM) only verifies, for auditors who must not sign.
/// </summary>
public sealed class AuditKey : IDisposable
{
    private readonly ECDsa key;

    private AuditKey(ECDsa key, bool canSign)
    {
        this.key = key;
        CanSign = canSign;
        Id = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..32];
    }

    /// <summary>The first 16 bytes of SHA-256 of the public key, hex: names the key a checkpoint was signed with.</summary>
    public string Id { get; }

    /// <summary>True when the file held the private key.</summary>
    public bool CanSign { get; }

    /// <summary>Reads a PEM key file (PKCS#8, SEC1 or public key).</summary>
    public static AuditKey Load(string path)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException($"{path} does not hold a P-256 key.");
        }

        return new AuditKey(key, HasPrivateKey(key));
    }

    /// <summary>
    /// Creates a development key at <paramref name="path"/> (PKCS#8, readable by its owner only) and its public
    /// half beside it as <c>.pub.pem</c>. Refuses to overwrite an existing key.
    /// </summary>
    public static string Generate(string path)
    {
        if (File.Exists(path))
        {
            throw new IOException($"{path} exists; the audit will not overwrite a key that signed checkpoints.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

        // Owner-only from the moment the file exists, not after a chmod that follows the write.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        var publicPath = Path.ChangeExtension(path, null) + ".pub.pem";
        File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem());
        return publicPath;
    }

    /// <summary>Signs <paramref name="payload"/> (see <see cref="CheckpointPayload"/>).</summary>
    public byte[] Sign(byte[] payload) => key.SignData(payload, HashAlgorithmName.SHA256);

    /// <summary>True when <paramref name="signature"/> is this key's over <paramref name="payload"/>.</summary>
    public bool Verify(byte[] payload, byte[] signature) => key.VerifyData(payload, signature, HashAlgorithmName.SHA256);

    /// <inheritdoc />
    public void Dispose() => key.Dispose();

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(includePrivateParameters: true).D is not null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
