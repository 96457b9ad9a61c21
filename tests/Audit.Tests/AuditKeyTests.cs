using System.Security.Cryptography;
using Payments.Audit.Checkpoints;

namespace Payments.Audit.Tests;

/// <summary>Checkpoint signatures: what they cover, and which keys can make them.</summary>
public sealed class AuditKeyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("audit-key-").FullName;

    [Fact]
    public void A_signature_verifies_only_for_the_ledger_sequence_and_hash_it_was_made_for()
    {
        using var key = AuditKey.Load(Generate());
        var hash = SHA256.HashData("head"u8);
        var signature = key.Sign(CheckpointPayload.Of("main", 42, hash));

        Assert.True(key.Verify(CheckpointPayload.Of("main", 42, hash), signature));
        Assert.False(key.Verify(CheckpointPayload.Of("main", 43, hash), signature));
        Assert.False(key.Verify(CheckpointPayload.Of("other", 42, hash), signature));
        Assert.False(key.Verify(CheckpointPayload.Of("main", 42, SHA256.HashData("rewritten"u8)), signature));
    }

    [Fact]
    public void The_public_half_verifies_but_cannot_sign_and_names_the_same_key()
    {
        var privatePath = Generate();
        using var signer = AuditKey.Load(privatePath);
        using var verifier = AuditKey.Load(Path.Combine(folder, "key.pub.pem"));
        var payload = CheckpointPayload.Of("main", 1, new byte[32]);

        Assert.True(signer.CanSign);
        Assert.False(verifier.CanSign);
        Assert.Equal(signer.Id, verifier.Id);
        Assert.True(verifier.Verify(payload, signer.Sign(payload)));
    }

    [Fact]
    public void Keygen_writes_an_owner_only_file_and_never_overwrites_a_key()
    {
        var path = Generate();

        // The tests run on Linux (scripts/test.sh); Windows has no Unix file modes to check.
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.Throws<IOException>(() => AuditKey.Generate(path));
    }

    [Fact]
    public void Keygen_creates_the_folder_it_is_asked_to_write_into()
    {
        var path = Path.Combine(folder, "not", "yet", "there", "key.pem");

        AuditKey.Generate(path);

        using var key = AuditKey.Load(path);
        Assert.True(key.CanSign);
        Assert.True(File.Exists(Path.Combine(folder, "not", "yet", "there", "key.pub.pem")));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Generate()
    {
        var path = Path.Combine(folder, "key.pem");
        AuditKey.Generate(path);
        return path;
    }
}
