using System.Buffers.Binary;
using System.IO.Hashing;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// The check a compressed message ends with, computed over what it decompresses to: gzip's CRC-32 and length
/// (RFC 1952) and zlib's Adler-32 (RFC 1950, which gRPC calls "deflate"). .NET's decoders neither verify it
/// nor complain where their input is cut short: a truncated message decodes, quietly, to a prefix of itself,
/// which the message parser may well accept with its last fields missing. Comparing the trailer is what
/// tells a whole message from a cut one.
/// </summary>
internal abstract class CompressionTrailer
{
    /// <summary>How many bytes the trailer takes at the very end of the compressed message.</summary>
    public abstract int Length { get; }

    /// <summary>The trailer check of the framework's encoding <paramref name="encoding"/>, or null for one without a known trailer.</summary>
    public static CompressionTrailer? For(string encoding) => encoding switch
    {
        "gzip" => new Gzip(),
        "deflate" => new Zlib(),
        _ => null,
    };

    /// <summary>Takes the next decompressed bytes into the check.</summary>
    public abstract void Append(ReadOnlySpan<byte> decompressed);

    /// <summary>Whether <paramref name="trailer"/>, the message's last <see cref="Length"/> bytes, matches everything appended.</summary>
    public abstract bool Matches(ReadOnlySpan<byte> trailer);

    // CRC-32 then the length modulo 2^32, both little-endian. A message of several gzip members (which gRPC
    // implementations do not send) ends with the last member's check alone, so it does not match: refused.
    private sealed class Gzip : CompressionTrailer
    {
        private readonly Crc32 crc = new();
        private uint length;

        public override int Length => 8;

        public override void Append(ReadOnlySpan<byte> decompressed)
        {
            crc.Append(decompressed);
            length = unchecked(length + (uint)decompressed.Length);
        }

        public override bool Matches(ReadOnlySpan<byte> trailer) =>
            BinaryPrimitives.ReadUInt32LittleEndian(trailer) == crc.GetCurrentHashAsUInt32()
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == length;
    }

    // Adler-32, big-endian: two sums modulo 65,521, the second of the running first.
    private sealed class Zlib : CompressionTrailer
    {
        private const uint Modulus = 65_521;

        // The most bytes the sums take before they must be reduced to stay within 32 bits (zlib's NMAX).
        private const int RunMax = 5_552;

        private uint a = 1;
        private uint b;

        public override int Length => 4;

        public override void Append(ReadOnlySpan<byte> decompressed)
        {
            while (!decompressed.IsEmpty)
            {
                var run = decompressed[..Math.Min(decompressed.Length, RunMax)];
                foreach (var value in run)
                {
                    a += value;
                    b += a;
                }

                a %= Modulus;
                b %= Modulus;
                decompressed = decompressed[run.Length..];
            }
        }

        public override bool Matches(ReadOnlySpan<byte> trailer) =>
            BinaryPrimitives.ReadUInt32BigEndian(trailer) == ((b << 16) | a);
    }
}
