using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// The keys tokens are verified with, read again from their file when it changes. An issuer rotates by
/// publishing the new key beside the old one and, once the old one's tokens have expired, dropping it;
/// on Kubernetes the mounted Secret changes in place, so a service must pick both steps up without a
/// restart. The file is looked at no more than once per <see cref="TokenSettings.KeyRefreshSeconds"/>;
/// a file that cannot be read or holds no key leaves the keys as they were (a half-written or mistyped
/// update must not lock every caller out), and says so in the log.
/// </summary>
public sealed class SigningKeySource
{
    private readonly TokenSettings settings;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock reloading = new();
    private volatile KeySet current;

    /// <summary>Loads the keys <paramref name="settings"/> name; a file that cannot be used fails here, at start.</summary>
    public SigningKeySource(TokenSettings settings, TimeProvider time, ILogger<SigningKeySource> logger)
    {
        this.settings = settings;
        this.time = time;
        this.logger = logger;
        var text = KeyFile is { } path ? File.ReadAllText(path) : null;
        current = new KeySet(text is null ? SigningKeys.Load(settings) : SigningKeys.Parse(settings, text), 1, text, time.GetUtcNow());
    }

    /// <summary>The keys as of the last look at the file.</summary>
    public IReadOnlyList<SecurityKey> Keys => Refreshed().Keys;

    /// <summary>
    /// The keys to try for a token whose header names <paramref name="keyId"/>: the one of that id when the
    /// set has it, so a rotation's second key costs no extra signature check, else all of them.
    /// </summary>
    public IEnumerable<SecurityKey> For(string? keyId)
    {
        var keys = Keys;
        var named = keyId is null ? [] : keys.Where(k => k.KeyId == keyId).ToList();
        return named.Count > 0 ? named : keys;
    }

    /// <summary>Counts the key sets loaded: a token verified under an earlier one is verified again.</summary>
    public long Generation => Refreshed().Generation;

    private string? KeyFile => SigningKeys.KeyFile(settings);

    private KeySet Refreshed()
    {
        var keys = current;
        if (KeyFile is not { } path || time.GetUtcNow() - keys.CheckedAt < TimeSpan.FromSeconds(settings.KeyRefreshSeconds))
        {
            return keys;
        }

        lock (reloading)
        {
            // Another call may have looked while this one waited.
            if (!ReferenceEquals(keys, current))
            {
                return current;
            }

            current = Reload(keys, path);
            return current;
        }
    }

    private KeySet Reload(KeySet keys, string path)
    {
        var now = time.GetUtcNow();
        try
        {
            var text = File.ReadAllText(path);
            if (text == keys.FileText)
            {
                return keys with { CheckedAt = now };
            }

            var loaded = new KeySet(SigningKeys.Parse(settings, text), keys.Generation + 1, text, now);
            logger.LogInformation("Loaded {Count} token signing keys from {Path}", loaded.Keys.Count, path);
            return loaded;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException
            or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            logger.LogWarning(exception, "The token signing keys in {Path} could not be loaded; the keys loaded before stay in use", path);
            return keys with { CheckedAt = now };
        }
    }

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, long Generation, string? FileText, DateTimeOffset CheckedAt);
}
