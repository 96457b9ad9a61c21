using System.IO.Compression;
using System.IO.Pipelines;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// Request bodies that are not well-framed gRPC. ASP.NET Core gRPC reads the frames before the message parser
/// that <see cref="MalformedRequests"/> hooks, and answers a broken one as INTERNAL ("Incomplete message.",
/// "Additional data after the message received.") or UNKNOWN, without an ErrorInfo: a server error for the
/// caller's mistake. So every gRPC call's body is read through a <see cref="FramingCheckingReader"/>, which
/// refuses those frames first with INVALID_ARGUMENT and the reason REQUEST_FRAMING_INVALID, and compressed
/// messages are decompressed through <see cref="BoundedDecompression"/>. Nothing is read or written (ADR 0047).
/// </summary>
public static class RequestFraming
{
    /// <summary>The framework's own encodings (gzip and deflate), each bounded to <paramref name="messageSizeMax"/> bytes.</summary>
    public static List<ICompressionProvider> BoundedProviders(int messageSizeMax) =>
    [
        new BoundedDecompression(new GzipCompressionProvider(CompressionLevel.Fastest), messageSizeMax),
        new BoundedDecompression(new DeflateCompressionProvider(CompressionLevel.Fastest), messageSizeMax),
    ];

    /// <summary>
    /// Checks the framing of every call to a gRPC endpoint, with the gRPC options' receive limit. Goes after
    /// routing, which the web application adds first by itself, so the method's type (one request message or
    /// a stream of them) is known.
    /// </summary>
    public static IApplicationBuilder UseRequestFramingChecks(this IApplicationBuilder app)
    {
        var messageSizeMax = app.ApplicationServices.GetRequiredService<IOptions<GrpcServiceOptions>>().Value.MaxReceiveMessageSize ?? int.MaxValue;
        return app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc
                && context.Features.Get<IRequestBodyPipeFeature>() is { } body)
            {
                // The framework reads a compressed message only under an encoding other than identity.
                var encoding = context.Request.Headers["grpc-encoding"].ToString();
                var singleMessage = grpc.Method.Type is MethodType.Unary or MethodType.ServerStreaming;
                var compressionAllowed = encoding.Length > 0 && encoding != "identity";
                context.Features.Set<IRequestBodyPipeFeature>(
                    new CheckedBody(new FramingCheckingReader(body.Reader, singleMessage, compressionAllowed, messageSizeMax)));
            }

            return next(context);
        });
    }

    private sealed record CheckedBody(PipeReader Reader) : IRequestBodyPipeFeature;
}
