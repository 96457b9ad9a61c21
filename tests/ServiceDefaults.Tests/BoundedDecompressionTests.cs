using System.IO.Compression;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Compression;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Tests;

/// <summary>Decompression read to the end by a caller that sets no bound of its own (CopyTo), bounded here and refusing bytes that are not the encoding.</summary>
public sealed class BoundedDecompressionTests
{
    private const int SizeMax = 1000;

    private static readonly BoundedDecompression Gzip = new(new GzipCompressionProvider(CompressionLevel.Fastest), SizeMax);

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

    private static byte[] Compress(byte[] message)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(message);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] compressed)
    {
        using var output = new MemoryStream();
        using var decompressing = Gzip.CreateDecompressionStream(new MemoryStream(compressed));
        decompressing.CopyTo(output);
        return output.ToArray();
    }

    private static string Reason(RpcException error) => Assert.Single(error.GetRpcStatus()!.Details).Unpack<ErrorInfo>().Reason;
}
