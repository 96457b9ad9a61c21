using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Audit.Checkpoints;

/// <summary>
/// The latest signed checkpoint, kept in a file outside the database. Checkpoints in the database anchor
/// the chain against a rewrite only while they are there: whoever can rewrite the ledger can also delete
/// them, and the next audit then starts again from genesis without complaint. A copy where the database's
/// administrators cannot write (the auditor's volume, a bucket with object lock) keeps the anchor. Each
/// audit that signs a checkpoint replaces the file, whole, in one rename.
/// </summary>
public static class AnchorFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The checkpoint in <paramref name="path"/>, null when there is no file yet.</summary>
    /// <exception cref="InvalidDataException">The file is there but holds no checkpoint this audit can read.</exception>
    public static Checkpoint? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"The anchor file {path} is empty.");
            return new Checkpoint(stored.Id, stored.Ledger, stored.Sequence, Convert.FromHexString(stored.HeadHash), stored.KeyId,
                Convert.FromBase64String(stored.Signature), DateTimeOffset.Parse(stored.SignedAt, CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentNullException)
        {
            throw new InvalidDataException($"The anchor file {path} holds no readable checkpoint: {exception.Message}", exception);
        }
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="checkpoint"/>; a reader sees the old file or the new one.</summary>
    public static void Write(string path, Checkpoint checkpoint)
    {
        var stored = new Stored(checkpoint.Id, checkpoint.Ledger, checkpoint.Sequence, Convert.ToHexStringLower(checkpoint.HeadHash),
            checkpoint.KeyId, Convert.ToBase64String(checkpoint.Signature), checkpoint.SignedAt.ToString("O", CultureInfo.InvariantCulture));
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(stored, Json));
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record Stored(
        [property: JsonPropertyName("id"), JsonRequired] Guid Id,
        [property: JsonPropertyName("ledger"), JsonRequired] string Ledger,
        [property: JsonPropertyName("sequence"), JsonRequired] long Sequence,
        [property: JsonPropertyName("headHash"), JsonRequired] string HeadHash,
        [property: JsonPropertyName("keyId"), JsonRequired] string KeyId,
        [property: JsonPropertyName("signature"), JsonRequired] string Signature,
        [property: JsonPropertyName("signedAt"), JsonRequired] string SignedAt);
}
