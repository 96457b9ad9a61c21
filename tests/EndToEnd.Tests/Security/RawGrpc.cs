using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// gRPC by hand over HTTP/2: one length-prefixed frame of arbitrary bytes to a method, so a test can send
/// what no generated client would (garbage, unknown fields) and read the status the server answers.
/// </summary>
internal static class RawGrpc
{
    /// <summary>The status, its message, the google.rpc.Status details when sent, and the response message's bytes.</summary>
    public sealed record Answer(StatusCode Status, string Message, Google.Rpc.Status? Details, byte[] Body);

    public static async Task<Answer> CallAsync(Uri server, string method, byte[] message, string token)
    {
        using var client = new HttpClient();
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)message.Length);
        message.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, method)) 
        {
            // HTTP/2 without TLS only by prior knowledge, as gRPC clients do.
            Content = new ByteArrayContent(frame), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();

        // A refusal before any message comes as a trailers-only response: the status is in the headers.
        var status = Header(response, "grpc-status") ?? throw new InvalidOperationException(
            $"The answer carries no grpc-status: HTTP {(int)response.StatusCode} {response.Version}, headers {response.Headers}, body {body.Length} bytes.");
        var payload = body.Length >= 5 ? body[5..] : [];
        return new Answer((StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            Uri.UnescapeDataString(Header(response, "grpc-message") ?? string.Empty), Details(response), payload);
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
