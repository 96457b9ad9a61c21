using System.IO.Compression;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Compression;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Tests;

/// <summary>
/// Decompression read to the end by a caller that sets no bound of its own (CopyTo), as the framework reads it:
/// bounded here, and refusing bytes that are not the encoding and messages cut short or altered.
/// </summary>
public sealed class BoundedDecompressionTests
{
    private const int SizeMax = 1000;

    private static readonly BoundedDecompression Gzip = new(new GzipCompressionProvider(CompressionLevel.Fastest), SizeMax);

    private static readonly BoundedDecompression Deflate = new(new DeflateCompressionProvider(CompressionLevel.Fastest), SizeMax);

    [Fact]
    public void A_message_of_exactly_the_limit_decompresses_to_its_bytes()
    {
        var message = Enumerable.Range(0, SizeMax).Select(i => (byte)i).ToArray();

        Assert.Equal(message, Decompress(Compress(message)));
    }

    [Fact]
    public void One_byte_past_the_limit_is_request_too_large()
    {
        var error = Assert.Throws<RpcException>(() => Decompress(Compress(new byte[SizeMax + 1])));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", Reason(error));
    }

    [Fact]
    public void Bytes_that_are_not_gzip_are_request_framing_invalid()
    {
        var error = Assert.Throws<RpcException>(() => Decompress([0x1f, 0x8b, 0x08, 0xff, 0x13, 0x37, 0x00]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("REQUEST_FRAMING_INVALID", Reason(error));
    }

    [Fact]
    public void Compression_is_the_inner_providers()
    {
        Assert.Equal("gzip", Gzip.EncodingName);
        var message = new byte[100];
        using var output = new MemoryStream();
        using (var compressing = Gzip.CreateCompressionStream(output, CompressionLevel.Fastest))
        {
            compressing.Write(message);
        }

        Assert.Equal(message, Decompress(output.ToArray()));
    }

    [Fact]
    public void A_gzip_message_cut_anywhere_is_request_framing_invalid()
    {
        var compressed = Compress(Message(SizeMax));

        // .NET's decoder alone turns every one of these into a prefix of the message, or the whole of it.
        for (var cut = 1; cut < compressed.Length; cut++)
        {
            AssertFramingInvalid(Gzip, compressed[..^cut], $"cut by {cut}");
        }
    }

    [Fact]
    public void Deflate_is_zlib_and_a_message_cut_anywhere_is_request_framing_invalid()
    {
        var message = Message(SizeMax);
        var compressed = Compress(Deflate, message);
        Assert.Equal(0x78, compressed[0]);
        Assert.Equal(message, Decompress(Deflate, compressed));

        for (var cut = 1; cut < compressed.Length; cut++)
        {
            AssertFramingInvalid(Deflate, compressed[..^cut], $"cut by {cut}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5_552)]
    [InlineData(5_553)]
    [InlineData(70_000)]
    public void Messages_of_every_size_pass_the_trailer_check_in_both_encodings(int size)
    {
        // Random bytes do not compress: the checks run over every byte, across zlib's 5,552-byte reduction runs.
        var message = new byte[size];
        new Random(size).NextBytes(message);
        var gzip = new BoundedDecompression(new GzipCompressionProvider(CompressionLevel.Fastest), 100_000);
        var deflate = new BoundedDecompression(new DeflateCompressionProvider(CompressionLevel.Fastest), 100_000);

        Assert.Equal(message, Decompress(gzip, Compress(gzip, message)));
        Assert.Equal(message, Decompress(deflate, Compress(deflate, message)));
    }

    [Fact]
    public void An_altered_trailer_and_bytes_after_it_are_request_framing_invalid()
    {
        foreach (var encoding in new[] { Gzip, Deflate })
        {
            var compressed = Compress(encoding, Message(SizeMax));
            var altered = compressed.ToArray();
            altered[^1] ^= 1;

            AssertFramingInvalid(encoding, altered, $"{encoding.EncodingName} with its last byte altered");
            AssertFramingInvalid(encoding, [.. compressed, 0], $"{encoding.EncodingName} with a byte after its trailer");
        }
    }

    [Fact]
    public void Two_gzip_members_are_request_framing_invalid_as_the_trailer_covers_only_the_last()
    {
        AssertFramingInvalid(Gzip, [.. Compress(Message(10)), .. Compress(Message(10))], "two members");
    }

    private static byte[] Message(int size) => Enumerable.Range(0, size).Select(i => (byte)i).ToArray();

    private static void AssertFramingInvalid(BoundedDecompression encoding, byte[] compressed, string what)
    {
        var error = Assert.Throws<RpcException>(() => Decompress(encoding, compressed));
        Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{what}: {error.Status}");
        Assert.Equal("REQUEST_FRAMING_INVALID", Reason(error));
    }

    private static byte[] Compress(BoundedDecompression encoding, byte[] message)
    {
        using var output = new MemoryStream();
        using (var compressing = encoding.CreateCompressionStream(output, CompressionLevel.Fastest))
        {
            compressing.Write(message);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(BoundedDecompression encoding, byte[] compressed)
    {
        using var output = new MemoryStream();
        using var decompressing = encoding.CreateDecompressionStream(new MemoryStream(compressed));
        decompressing.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Compress(byte[] message)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(message);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] compressed) => Decompress(Gzip, compressed);

    private static string Reason(RpcException error) => Assert.Single(error.GetRpcStatus()!.Details).Unpack<ErrorInfo>().Reason;
}
