using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// A gRPC request body that checks its own framing (length-prefixed messages: a compression flag byte and a
/// four-byte big-endian length) as the bytes arrive, before the framework reads a message from them. A frame
/// the framework would refuse as INTERNAL or UNKNOWN is refused here instead, with a reason
/// (<see cref="RequestFraming"/>). Frames that pass are handed on untouched; nothing is buffered or copied.
/// </summary>
/// <remarks>
/// The messages before a broken frame are still handed out, and the refusal comes with the first read
/// after they have all been consumed: a streaming call sees the same messages however the bytes were split
/// into reads, and the framework never sees the broken frame's bytes.
/// </remarks>
/// <param name="inner">The request body as the server received it.</param>
/// <param name="singleMessage">Unary and server-streaming calls: the body must hold exactly one message.</param>
/// <param name="compressionAllowed">True when the call names an encoding a compressed message can be in.</param>
/// <param name="messageSizeMax">The largest message accepted, in bytes (as sent, before any decompression).</param>
public sealed class FramingCheckingReader(PipeReader inner, bool singleMessage, bool compressionAllowed, int messageSizeMax) : PipeReader
{
    private const int HeaderSize = 5;

    // Offsets from the body's first byte: where the last buffer handed out starts, the last frame's header and the next one's.
    private long bufferStart;
    private long nextFrame;
    private long lastFrame;
    private int frames;
    private ReadOnlySequence<byte> lastBuffer;

    // The first broken frame found, and where it starts: everything before it is handed out first.
    private RpcException? refusal;
    private long refusalAt;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfRefusalReached();
        return Checked(await inner.ReadAsync(cancellationToken));
    }

    public override bool TryRead(out ReadResult result)
    {
        ThrowIfRefusalReached();
        if (!inner.TryRead(out var read))
        {
            result = default;
            return false;
        }

        result = Checked(read);
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

    private void ThrowIfRefusalReached()
    {
        if (refusal is not null && bufferStart >= refusalAt)
        {
            throw refusal;
        }
    }

    // The read as the caller may see it: whole, or cut just before the first broken frame.
    private ReadResult Checked(ReadResult result)
    {
        lastBuffer = result.Buffer;
        Check(result);
        if (refusal is null)
        {
            return result;
        }

        if (bufferStart >= refusalAt)
        {
            // Nothing before the broken frame is left to hand out. Release the read first, so the body is not
            // left mid-read, then refuse; every later read refuses again.
            inner.AdvanceTo(lastBuffer.Start);
            throw refusal;
        }

        lastBuffer = lastBuffer.Slice(0, refusalAt - bufferStart);
        return new ReadResult(lastBuffer, result.IsCanceled, isCompleted: false);
    }

    // Walks every frame header that has fully arrived; a message itself is only skipped, never read.
    private void Check(ReadResult result)
    {
        var end = bufferStart + result.Buffer.Length;
        Span<byte> header = stackalloc byte[HeaderSize];
        while (refusal is null && nextFrame + HeaderSize <= end)
        {
            result.Buffer.Slice(nextFrame - bufferStart, HeaderSize).CopyTo(header);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
            if (singleMessage && frames == 1)
            {
                Refuse(nextFrame, "data follows the call's one request message");
            }
            else if (header[0] > 1)
            {
                Refuse(nextFrame, $"a message's compression flag is {header[0]}, not 0 or 1");
            }
            else if (header[0] == 1 && !compressionAllowed)
            {
                Refuse(nextFrame, "a message is flagged compressed, but the call names no grpc-encoding it could be in");
            }
            else if (length > messageSizeMax)
            {
                refusal = GrpcErrors.For(ResultCode.RequestTooLarge, $"A request message of {length} bytes is larger than the {messageSizeMax} accepted.");
                refusalAt = nextFrame;
            }
            else
            {
                frames++;
                lastFrame = nextFrame;
                nextFrame += HeaderSize + length;
            }
        }

        // The framework takes any byte after a call's one message as an error of its own at once, before the
        // body completes, even when too few arrived yet for a frame header.
        if (refusal is null && singleMessage && frames == 1 && nextFrame < end)
        {
            Refuse(nextFrame, "data follows the call's one request message");
        }

        if (refusal is not null || !result.IsCompleted)
        {
            return;
        }

        if (nextFrame > end)
        {
            Refuse(lastFrame, $"the body ends {nextFrame - end} bytes short of the message its length prefix announced");
        }
        else if (nextFrame < end)
        {
            Refuse(nextFrame, $"the body ends inside a message's {HeaderSize}-byte header");
        }
        else if (singleMessage && frames == 0)
        {
            Refuse(0, "the body holds no request message");
        }
    }

    private void Refuse(long frameStart, string problem)
    {
        refusal = GrpcErrors.For(ResultCode.RequestFramingInvalid, $"The request is not framed as gRPC messages: {problem}.");
        refusalAt = frameStart;
    }
}
