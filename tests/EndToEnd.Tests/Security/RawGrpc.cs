using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// gRPC by hand over HTTP/2: arbitrary bytes to a method, framed or not, so a test can send what no generated
/// client would (garbage, unknown fields, broken frames) and read the status the server answers.
/// </summary>
internal static class RawGrpc
{
    /// <summary>
    /// The status, its message, the google.rpc.Status details when sent, the response message's bytes (of the
    /// first, when a stream answered), and every response message.
    /// </summary>
    public sealed record Answer(StatusCode Status, string Message, Google.Rpc.Status? Details, byte[] Body, IReadOnlyList<byte[]> Messages);

    /// <summary>Sends <paramref name="message"/> as one well-framed request message.</summary>
    public static Task<Answer> CallAsync(Uri server, string method, byte[] message, string token) =>
        SendAsync(server, method, Frame(message), token);

    /// <summary>
    /// One length-prefixed frame: the compression flag, the length (the message's own unless
    /// <paramref name="announcedLength"/> says otherwise), then the bytes.
    /// </summary>
    public static byte[] Frame(byte[] message, byte compressionFlag = 0, uint? announcedLength = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressionFlag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), announcedLength ?? (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Sends <paramref name="body"/> as the whole request body, framed or not, with <paramref name="encoding"/> as its grpc-encoding.</summary>
    public static async Task<Answer> SendAsync(Uri server, string method, byte[] body, string token, string? encoding = null)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, method))
        {
            // HTTP/2 without TLS only by prior knowledge, as gRPC clients do.
            Content = new ByteArrayContent(body), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (encoding is not null)
        {
            request.Headers.Add("grpc-encoding", encoding);
        }

        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var received = await response.Content.ReadAsByteArrayAsync();

        // A refusal before any message comes as a trailers-only response: the status is in the headers.
        var status = Header(response, "grpc-status") ?? throw new InvalidOperationException(
            $"The answer carries no grpc-status: HTTP {(int)response.StatusCode} {response.Version}, headers {response.Headers}, body {received.Length} bytes.");
        var messages = Unframe(received);
        return new Answer((StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            Uri.UnescapeDataString(Header(response, "grpc-message") ?? string.Empty), Details(response), messages.FirstOrDefault() ?? [], messages);
    }

    // A response body is frames like a request's; the server does not compress them here.
    private static List<byte[]> Unframe(byte[] body)
    {
        var messages = new List<byte[]>();
        for (var offset = 0; offset + 5 <= body.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1, 4));
            messages.Add(body[(offset + 5)..(offset + 5 + length)]);
            offset += 5 + length;
        }

        return messages;
    }

    // Binary metadata travels as base64, which gRPC may send without its padding.
    private static Google.Rpc.Status? Details(HttpResponseMessage response) =>
        Header(response, "grpc-status-details-bin") is { } encoded
            ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(encoded.PadRight((encoded.Length + 3) / 4 * 4, '=')))
            : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailing) ? trailing.First()
        : response.Headers.TryGetValues(name, out var leading) ? leading.First()
        : null;
}
