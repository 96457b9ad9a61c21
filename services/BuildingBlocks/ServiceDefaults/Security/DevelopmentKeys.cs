using System.Security.Cryptography;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// The local development signing key (ADR 0030): an EC P-256 key created on first use in a well-known
/// directory, so the services of an embedded run and <c>paymentsctl token</c> agree without any setup.
/// It is never used when a production key set is configured.
/// </summary>
public static class DevelopmentKeys
{
    private const string FileName = "dev-signing-key.pem";

    /// <summary>
    /// <c>.artifacts/dev-keys</c> of the repository the binary was built in, or, for a binary outside any
    /// checkout (a container), <c>dev-keys</c> under the user's local application data.
    /// </summary>
    public static string DefaultDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Payments.sln")))
            {
                return Path.Combine(directory.FullName, ".artifacts", "dev-keys");
            }
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "payments", "dev-keys");
    }

    /// <summary>The development key of <paramref name="directory"/> (or the default one), created if missing.</summary>
    public static ECDsa LoadOrCreate(string? directory)
    {
        directory = string.IsNullOrWhiteSpace(directory) ? DefaultDirectory() : directory;
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            Create(directory, path);
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    // Several processes may start at once: each writes its own temporary file and only the first rename
    // wins, so they all end up reading the same key.
    private static void Create(string directory, string path)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temporary = Path.Combine(directory, $"{FileName}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
