using System.IO.Compression;
using Grpc.Net.Compression;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// A compression provider whose decompression refuses what a caller got wrong, with a reason: bytes that are
/// not valid in the encoding (the framework would answer UNKNOWN), a message cut short or altered, which
/// .NET's decoders would turn quietly into a prefix of itself (its <see cref="CompressionTrailer"/> does not
/// match), and output past the message size limit (a few kilobytes of gzip can hold gigabytes of zeros; the
/// framework stops there too, but answers without a reason). It decompresses at most one byte past the limit,
/// whoever reads it.
/// </summary>
/// <param name="inner">The provider that does the work, such as the framework's gzip.</param>
/// <param name="messageSizeMax">The most bytes a message may decompress to.</param>
public sealed class BoundedDecompression(ICompressionProvider inner, int messageSizeMax) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream)
    {
        // An encoding without a known trailer (another provider wrapped here) is bounded but not checked for cuts.
        var trailer = CompressionTrailer.For(EncodingName);
        var compressed = trailer is null ? null : new TailKeepingStream(stream, trailer.Length);
        return new Refusing(inner.CreateDecompressionStream(compressed ?? stream), EncodingName, messageSizeMax, trailer, compressed);
    }

    /// <summary>A read-only stream over the decompressed bytes that turns the caller's mistakes into statuses.</summary>
    private sealed class Refusing(Stream decompressed, string encoding, int sizeMax, CompressionTrailer? trailer, TailKeepingStream? compressed)
        : ReadOnlyPassStream(decompressed)
    {
        private bool ended;

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                // One byte past the limit is enough to know it is passed, whatever buffer the caller offers.
                read = Inner.Read(buffer[..(int)Math.Min(buffer.Length, sizeMax - Passed + 1)]);
            }
            catch (InvalidDataException exception)
            {
                throw GrpcErrors.For(ResultCode.RequestFramingInvalid, $"A request message is not valid {encoding}: {exception.Message}");
            }

            Passed += read;
            if (Passed > sizeMax)
            {
                throw GrpcErrors.For(ResultCode.RequestTooLarge, $"A request message decompresses to more than the {sizeMax} bytes accepted.");
            }

            trailer?.Append(buffer[..read]);
            if (read == 0 && !buffer.IsEmpty && !ended)
            {
                ended = true;
                CheckTrailer();
            }

            return read;
        }

        private void CheckTrailer()
        {
            if (trailer is null || compressed is null)
            {
                return;
            }

            // No bytes at all are the empty message: .NET's own compressors write nothing for it, trailer included.
            compressed.ReadToEnd();
            if (compressed.Position == 0)
            {
                return;
            }

            if (compressed.Tail.Length < trailer.Length || !trailer.Matches(compressed.Tail))
            {
                throw GrpcErrors.For(ResultCode.RequestFramingInvalid,
                    $"A request message's {encoding} data is cut short or altered: it does not end with the check of what it decompresses to.");
            }
        }
    }
}
