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

    /// <summary>The chain hash of <paramref name="transfer"/> after a transfer whose hash is <paramref name="prevHash"/>.</summary>
    public static byte[] Hash(byte[] prevHash, Transfer transfer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(prevHash);
        hash.AppendData(CanonicalBytes(transfer));
        return hash.GetHashAndReset();
    }

    /// <summary>The canonical bytes of a transfer and its two entries (the hash itself excluded).</summary>
    public static byte[] CanonicalBytes(Transfer transfer)
    {
        var writer = new CanonicalWriter();
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
        return writer.ToArray();
    }

    private static long Microseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private sealed class CanonicalWriter
    {
        private readonly MemoryStream buffer = new(256);

        public void Byte(byte value) => buffer.WriteByte(value);

        public void Int64(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            buffer.Write(bytes);
        }

        public void String(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }

        public void Guid(Guid value)
        {
            Span<byte> bytes = stackalloc byte[16];
            value.TryWriteBytes(bytes, bigEndian: true, out _);
            buffer.Write(bytes);
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

        public byte[] ToArray() => buffer.ToArray();
    }
}
