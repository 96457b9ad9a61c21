using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// A gRPC request body that checks its own framing (length-prefixed messages: a compression flag byte and a
/// four-byte big-endian length) as the bytes arrive, before the framework reads a message from them. A frame
/// the framework would refuse as INTERNAL or UNKNOWN is refused here first, with a reason
/// (<see cref="RequestFraming"/>). Frames that pass are handed on untouched; nothing is buffered or copied.
/// </summary>
/// <param name="inner">The request body as the server received it.</param>
/// <param name="singleMessage">Unary and server-streaming calls: the body must hold exactly one message.</param>
/// <param name="compressionAllowed">True when the call names an encoding a compressed message can be in.</param>
/// <param name="messageSizeMax">The largest message accepted, in bytes (as sent, before any decompression).</param>
public sealed class FramingCheckingReader(PipeReader inner, bool singleMessage, bool compressionAllowed, int messageSizeMax) : PipeReader
{
    private const int HeaderSize = 5;

    // Offsets from the body's first byte: where the last buffer handed out starts, and the next frame's header.
    private long bufferStart;
    private long nextFrame;
    private int frames;
    private ReadOnlySequence<byte> lastBuffer;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken);
        Check(result);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Check(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        bufferStart += lastBuffer.Slice(lastBuffer.Start, consumed).Length;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    // Walks every frame header that has fully arrived; a message itself is only skipped, never read.
    private void Check(ReadResult result)
    {
        lastBuffer = result.Buffer;
        var end = bufferStart + lastBuffer.Length;
        Span<byte> header = stackalloc byte[HeaderSize];
        while (nextFrame + HeaderSize <= end)
        {
            if (singleMessage && frames == 1)
            {
                throw Refused("data follows the call's one request message");
            }

            lastBuffer.Slice(nextFrame - bufferStart, HeaderSize).CopyTo(header);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
            switch (header[0])
            {
                case > 1:
                    throw Refused($"a message's compression flag is {header[0]}, not 0 or 1");
                case 1 when !compressionAllowed:
                    throw Refused("a message is flagged compressed, but the call names no grpc-encoding it could be in");
            }

            if (length > messageSizeMax)
            {
                throw GrpcErrors.For(ResultCode.RequestTooLarge, $"A request message of {length} bytes is larger than the {messageSizeMax} accepted.");
            }

            frames++;
            nextFrame += HeaderSize + length;
        }

        if (!result.IsCompleted)
        {
            return;
        }

        if (nextFrame > end)
        {
            throw Refused($"the body ends {nextFrame - end} bytes short of the message its length prefix announced");
        }

        if (nextFrame < end)
        {
            throw Refused($"the body ends inside a message's {HeaderSize}-byte header");
        }

        if (singleMessage && frames == 0)
        {
            throw Refused("the body holds no request message");
        }
    }

    private static RpcException Refused(string problem) =>
        GrpcErrors.For(ResultCode.RequestFramingInvalid, $"The request is not framed as gRPC messages: {problem}.");
}
