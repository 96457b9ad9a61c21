using System.IO.Compression;
using Grpc.Net.Compression;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// A compression provider whose decompression refuses what a caller got wrong, with a reason: bytes that are
/// not valid in the encoding (the framework would answer UNKNOWN) and output past the message size limit
/// (a few kilobytes of gzip can hold gigabytes of zeros; the framework stops there too, but answers without a
/// reason). It decompresses at most one byte past the limit, whoever reads it.
/// </summary>
/// <remarks>
/// .NET's gzip and deflate decoders end quietly, without an error, where compressed data is cut short: such a
/// message decodes to a prefix of itself, which the message parser then reads or refuses (REQUEST_MALFORMED),
/// exactly as without this wrapper.
/// </remarks>
/// <param name="inner">The provider that does the work, such as the framework's gzip.</param>
/// <param name="messageSizeMax">The most bytes a message may decompress to.</param>
public sealed class BoundedDecompression(ICompressionProvider inner, int messageSizeMax) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream) =>
        new Refusing(inner.CreateDecompressionStream(stream), EncodingName, messageSizeMax);

    /// <summary>A read-only stream over the decompressed bytes that turns the caller's mistakes into statuses.</summary>
    private sealed class Refusing(Stream decompressed, string encoding, int sizeMax) : Stream
    {
        private long produced;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => produced; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                // One byte past the limit is enough to know it is passed, whatever buffer the caller offers.
                read = decompressed.Read(buffer[..(int)Math.Min(buffer.Length, sizeMax - produced + 1)]);
            }
            catch (InvalidDataException exception)
            {
                throw GrpcErrors.For(ResultCode.RequestFramingInvalid, $"A request message is not valid {encoding}: {exception.Message}");
            }

            produced += read;
            return produced <= sizeMax
                ? read
                : throw GrpcErrors.For(ResultCode.RequestTooLarge, $"A request message decompresses to more than the {sizeMax} bytes accepted.");
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                decompressed.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
