using System.IO.Compression;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// Request bodies that are not well-framed gRPC, sent to the real processes: each is INVALID_ARGUMENT with
/// REQUEST_FRAMING_INVALID (the framework alone answers INTERNAL or UNKNOWN), a message too large before or
/// after decompression is RESOURCE_EXHAUSTED with REQUEST_TOO_LARGE, nothing is written, and the services go
/// on serving. Compressed requests that are well formed still work.
/// </summary>
public sealed class BrokenFramingTests(Platform platform) : IClassFixture<Platform>
{
    private static readonly string CreatePaymentMethod = $"/{PaymentService.Descriptor.FullName}/CreatePayment";

    // An empty message is a valid request of every method, so each body below is wrong only in its framing.
    private static readonly byte[] Message = [];

    [Fact]
    public async Task Broken_frames_to_every_method_of_every_service_are_request_framing_invalid_and_nothing_is_written()
    {
        var hostile = TestTokens.For("mallory", Scopes.All);
        var before = await Writes.CountAsync(platform);
        foreach (var method in ReachableMethods.Of(platform))
        {
            var bodies = new Dictionary<string, byte[]>
            {
                ["a length past the end"] = RawGrpc.Frame(Message, announcedLength: 10),
                ["a header cut short"] = [.. RawGrpc.Frame(Message), 0, 0],
                ["compression flag 2"] = RawGrpc.Frame(Message, compressionFlag: 2),
                ["compressed without an encoding"] = RawGrpc.Frame(Message, compressionFlag: 1),
            };
            if (!method.Method.IsClientStreaming)
            {
                bodies["no message"] = [];
                bodies["a second message"] = [.. RawGrpc.Frame(Message), .. RawGrpc.Frame(Message)];
            }

            foreach (var (name, body) in bodies)
            {
                var answer = await RawGrpc.SendAsync(method.Server, method.Path, body, hostile);
                Assert.True(answer.Status == StatusCode.InvalidArgument, $"{method.Path} answered {name} with {answer.Status}: {answer.Message}");
                Assert.Equal("REQUEST_FRAMING_INVALID", Reason(answer));
            }
        }

        Assert.Equal(before, await Writes.CountAsync(platform));
        var (from, to) = await AccountsAsync();
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(from, to, 1)).Status);
    }

    [Fact]
    public async Task A_stream_of_well_framed_messages_is_served_message_by_message()
    {
        // Reflection is the one method that takes a stream of requests: two in one body get two answers.
        var list = new ServerReflectionRequest { ListServices = "" }.ToByteArray();
        var answer = await RawGrpc.SendAsync(platform.Api.Url, $"/{ServerReflection.Descriptor.FullName}/ServerReflectionInfo",
            [.. RawGrpc.Frame(list), .. RawGrpc.Frame(list)], TestTokens.For("mallory", Scopes.All));

        Assert.True(answer.Status == StatusCode.OK, $"{answer.Status}: {answer.Message}");
        Assert.Equal(2, answer.Messages.Count);
    }

    [Fact]
    public async Task A_compressed_payment_is_accepted_and_bytes_that_are_not_gzip_are_request_framing_invalid()
    {
        var (from, to) = await AccountsAsync();
        var token = TestTokens.For(Platform.DefaultPrincipal, Scopes.All);
        var request = Payment(from, to, 2);

        var accepted = await RawGrpc.SendAsync(platform.Api.Url, CreatePaymentMethod, RawGrpc.Frame(Gzip(request.ToByteArray()), compressionFlag: 1), token, "gzip");
        Assert.True(accepted.Status == StatusCode.OK, $"{accepted.Status}: {accepted.Message}");
        Assert.Equal(PaymentStatus.Posted, CreatePaymentResponse.Parser.ParseFrom(accepted.Body).Payment.Status);

        var before = await Writes.CountAsync(platform);
        var corrupt = await RawGrpc.SendAsync(platform.Api.Url, CreatePaymentMethod, RawGrpc.Frame([0x1f, 0x8b, 0x08, 0xff, 0x13, 0x37], compressionFlag: 1), token, "gzip");
        Assert.Equal(StatusCode.InvalidArgument, corrupt.Status);
        Assert.Equal("REQUEST_FRAMING_INVALID", Reason(corrupt));
        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task A_compressed_payment_cut_short_is_request_framing_invalid_and_writes_nothing_though_it_decodes()
    {
        var (from, to) = await AccountsAsync();
        var token = TestTokens.For(Platform.DefaultPrincipal, Scopes.All);
        var request = Payment(from, to, 3);
        var whole = Gzip(request.ToByteArray());
        var before = await Writes.CountAsync(platform);

        // Without its trailer the message still decodes to every byte of the request; cut further, to a prefix.
        foreach (var cut in new[] { 8, 1, whole.Length / 2 })
        {
            var answer = await RawGrpc.SendAsync(platform.Api.Url, CreatePaymentMethod, RawGrpc.Frame(whole[..^cut], compressionFlag: 1), token, "gzip");
            Assert.True(answer.Status == StatusCode.InvalidArgument, $"cut by {cut}: {answer.Status} {answer.Message}");
            Assert.Equal("REQUEST_FRAMING_INVALID", Reason(answer));
        }

        Assert.Equal(before, await Writes.CountAsync(platform));
        var accepted = await RawGrpc.SendAsync(platform.Api.Url, CreatePaymentMethod, RawGrpc.Frame(whole, compressionFlag: 1), token, "gzip");
        Assert.Equal(PaymentStatus.Posted, CreatePaymentResponse.Parser.ParseFrom(accepted.Body).Payment.Status);
    }

    [Fact]
    public async Task A_message_that_decompresses_past_the_size_limit_is_request_too_large_and_writes_nothing()
    {
        var before = await Writes.CountAsync(platform);

        // 8 MiB of zeros compress to a few kilobytes: small on the wire, twice the limit in memory.
        var bomb = Gzip(new byte[8 * 1024 * 1024]);
        Assert.True(bomb.Length < 64 * 1024);
        var answer = await RawGrpc.SendAsync(platform.Api.Url, CreatePaymentMethod, RawGrpc.Frame(bomb, compressionFlag: 1),
            TestTokens.For(Platform.DefaultPrincipal, Scopes.All), "gzip");

        Assert.Equal(StatusCode.ResourceExhausted, answer.Status);
        Assert.Equal("REQUEST_TOO_LARGE", Reason(answer));
        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    private static CreatePaymentRequest Payment(string from, string to, long amount) => new()
    {
        RequestId = Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to, AmountMinor = amount, Currency = "EUR",
        WaitForOutcome = true,
    };

    private static string Reason(RawGrpc.Answer answer)
    {
        Assert.NotNull(answer.Details);
        return Assert.Single(answer.Details.Details).Unpack<ErrorInfo>().Reason;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private async Task<(string From, string To)> AccountsAsync() =>
        (await platform.OpenAccountAsync("framing-from"), await platform.OpenAccountAsync("framing-to"));
}
