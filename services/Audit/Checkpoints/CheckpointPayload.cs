using System.Buffers.Binary;
using System.Text;

namespace Payments.Audit.Checkpoints;

/// <summary>
/// The exact bytes a checkpoint signature covers: a domain tag, then ledger, sequence and head hash in a fixed
/// layout (length-prefixed UTF-8, big-endian int64, 32 raw bytes). The tag keeps a signature made for
/// anything else from ever passing as a checkpoint; nothing else is signed, so nothing else can be forged.
/// </summary>
public static class CheckpointPayload
{
    private static readonly byte[] Tag = Encoding.ASCII.GetBytes("payments-audit-checkpoint/v1\n");

    /// <summary>The signed bytes of (<paramref name="ledger"/>, <paramref name="sequence"/>, <paramref name="headHash"/>).</summary>
    public static byte[] Of(string ledger, long sequence, byte[] headHash)
    {
        var name = Encoding.UTF8.GetBytes(ledger);
        var payload = new byte[Tag.Length + 4 + name.Length + 8 + headHash.Length];
        var span = payload.AsSpan();
        Tag.CopyTo(span);
        span = span[Tag.Length..];
        BinaryPrimitives.WriteInt32BigEndian(span, name.Length);
        name.CopyTo(span[4..]);
        span = span[(4 + name.Length)..];
        BinaryPrimitives.WriteInt64BigEndian(span, sequence);
        headHash.CopyTo(span[8..]);
        return payload;
    }
}
