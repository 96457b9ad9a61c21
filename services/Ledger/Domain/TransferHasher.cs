using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Ledger.Domain;

/// <summary>
/// The hash chain: hash = SHA-256(prev_hash || canonical bytes of the transfer and its entries). The
/// canonical form is a fixed binary layout (big-endian integers, length-prefixed UTF-8 strings, UUIDs
/// in RFC byte order with the empty UUID for "none", times as Unix microseconds, PostgreSQL's precision), so any auditor in any
/// language can recompute it from the stored rows alone.
/// </summary>
public static class TransferHasher
{
    private const byte LayoutVersion = 1;

    // Hashing runs once per transfer in the writer and once per transfer in every audit, so the bytes are
    // written into a buffer reused per thread, and the hash object is reused too: for inputs of a few hundred
    // bytes, setting up and freeing a new hash context per call costs about a quarter of the hashing.
    [ThreadStatic]
    private static Scratch? scratch;

    /// <summary>The chain hash of <paramref name="transfer"/> after a transfer whose hash is <paramref name="prevHash"/>.</summary>
    public static byte[] Hash(byte[] prevHash, Transfer transfer)
    {
        var (buffer, sha256) = scratch ??= new Scratch(new ArrayBufferWriter<byte>(512), IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
        buffer.ResetWrittenCount();
        buffer.Write(prevHash);
        WriteCanonical(buffer, transfer);
        sha256.AppendData(buffer.WrittenSpan);
        return sha256.GetHashAndReset();
    }

    /// <summary>The canonical bytes of a transfer and its two entries (the hash itself excluded).</summary>
    public static byte[] CanonicalBytes(Transfer transfer)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteCanonical(buffer, transfer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteCanonical(ArrayBufferWriter<byte> buffer, Transfer transfer)
    {
        var writer = new CanonicalWriter(buffer);
        writer.Byte(LayoutVersion);
        writer.String(transfer.Ledger);
        writer.Int64(transfer.Sequence);
        writer.Guid(transfer.Id);
        writer.Guid(transfer.DebitAccountId);
        writer.Guid(transfer.CreditAccountId);
        writer.Int64(transfer.AmountMinor);
        writer.String(transfer.Currency);
        writer.String(transfer.Kind.ToString());
        writer.Guid(transfer.EventId);
        writer.String(transfer.TraceId ?? string.Empty);
        writer.String(transfer.Principal);
        writer.Time(transfer.CreatedAt);
        writer.Guid(transfer.PendingId ?? System.Guid.Empty);
        writer.Guid(transfer.ReversalOfId ?? System.Guid.Empty);
        writer.Int64(transfer.ExpiresAt is { } expiresAt ? Microseconds(expiresAt) : 0);
        writer.Byte(transfer.Expired ? (byte)1 : (byte)0);
        writer.Entry(transfer.Debit);
        writer.Entry(transfer.Credit);
    }

    private static long Microseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    // One per thread, for the thread's lifetime.
    private sealed record Scratch(ArrayBufferWriter<byte> Buffer, IncrementalHash Sha256);

    private readonly struct CanonicalWriter(ArrayBufferWriter<byte> buffer)
    {
        public void Byte(byte value)
        {
            buffer.GetSpan(1)[0] = value;
            buffer.Advance(1);
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
            buffer.Advance(8);
        }

        public void String(string value)
        {
            var span = buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
            var length = Encoding.UTF8.GetBytes(value, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, length);
            buffer.Advance(4 + length);
        }

        public void Guid(Guid value)
        {
            value.TryWriteBytes(buffer.GetSpan(16), bigEndian: true, out _);
            buffer.Advance(16);
        }

        public void Time(DateTimeOffset value) => Int64(Microseconds(value));

        public void Entry(Entry entry)
        {
            Guid(entry.AccountId);
            Int64(entry.AccountSequence);
            Byte(entry.Direction == EntryDirection.Debit ? (byte)'D' : (byte)'C');
            Int64(entry.AmountMinor);
            Int64(entry.BalancesAfter.DebitsPosted);
            Int64(entry.BalancesAfter.CreditsPosted);
            Int64(entry.BalancesAfter.DebitsPending);
            Int64(entry.BalancesAfter.CreditsPending);
        }
    }
}
