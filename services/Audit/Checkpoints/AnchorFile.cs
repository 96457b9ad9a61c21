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
    private static readonly TimeSpan LockWaitMax = TimeSpan.FromSeconds(30);

    /// <summary>The checkpoint in <paramref name="path"/>, null when there is no file yet.</summary>
    /// <exception cref="InvalidDataException">The file is there but holds no checkpoint this audit can read.</exception>
    /// <exception cref="IOException">The file cannot be read: a folder that is not there (a volume not mounted) included.</exception>
    public static Checkpoint? Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            // Only a missing file in a folder that is there is a first run; File.Exists would say the same of a
            // file it may not read.
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(text, Json)
                ?? throw new InvalidDataException($"The anchor file {path} is empty.");
            return new Checkpoint(stored.Id, stored.Ledger, stored.Sequence, Convert.FromHexString(stored.HeadHash), stored.KeyId,
                Convert.FromBase64String(stored.Signature), DateTimeOffset.Parse(stored.SignedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentNullException)
        {
            throw new InvalidDataException($"The anchor file {path} holds no readable checkpoint: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="checkpoint"/> unless it already anchors a later
    /// sequence: a run that started earlier (a manual one beside the CronJob) must not move the anchor back.
    /// Runs exclude each other through a lock file for the read and the rename; a reader sees the old file
    /// or the new one, and the new one is on disk before it is renamed into place.
    /// </summary>
    public static async Task WriteAsync(string path, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        await using var held = await LockAsync(path + ".lock", cancellationToken);
        if (Read(path) is { } current && current.Ledger == checkpoint.Ledger && current.Sequence > checkpoint.Sequence)
        {
            return;
        }

        var stored = new Stored(checkpoint.Id, checkpoint.Ledger, checkpoint.Sequence, Convert.ToHexStringLower(checkpoint.HeadHash),
            checkpoint.KeyId, Convert.ToBase64String(checkpoint.Signature), checkpoint.SignedAt.ToString("O", CultureInfo.InvariantCulture));
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await JsonSerializer.SerializeAsync(file, stored, Json, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    // An exclusive lock on a file beside the anchor (flock on Linux), waited for a bounded time.
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockWaitMax;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
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
