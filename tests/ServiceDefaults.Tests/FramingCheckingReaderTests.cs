using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Rpc;
using Grpc.Core;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Tests;

/// <summary>
/// The framing check on its own, fed through a real pipe in pieces of every size, and read the way the
/// framework reads a body: until it completes, consuming nothing until then.
/// </summary>
public sealed class FramingCheckingReaderTests
{
    private const int SizeMax = 64;

    public static TheoryData<int> ChunkSizes => new(1, 2, 3, 4, 5, 6, 7, 1024);

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task A_well_framed_message_passes_untouched_in_pieces_of_any_size(int chunk)
    {
        var body = Frame([1, 2, 3]);

        Assert.Equal(body, await ReadAllAsync(body, chunk, singleMessage: true));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task A_stream_of_messages_passes_when_the_call_takes_a_stream(int chunk)
    {
        byte[] body = [.. Frame([1]), .. Frame([]), .. Frame([7, 7, 7, 7, 7, 7])];

        Assert.Equal(body, await ReadAllAsync(body, chunk, singleMessage: false));
    }

    [Fact]
    public async Task A_compressed_message_passes_when_the_call_names_an_encoding()
    {
        var body = Frame([1, 2], compressionFlag: 1);

        Assert.Equal(body, await ReadAllAsync(body, 3, singleMessage: true, compressionAllowed: true));
    }

    public static TheoryData<string, byte[], bool> Broken => new()
    {
        { "a length past the end", Frame([1, 2], announcedLength: 3), true },
        { "a length past the end of a stream", [.. Frame([1]), .. Frame([1, 2], announcedLength: 9)], false },
        { "a header cut short", [.. Frame([1]), 0, 0, 0], false },
        { "a second message", [.. Frame([1]), .. Frame([2])], true },
        { "no message", [], true },
        { "compression flag 2", Frame([1], compressionFlag: 2), false },
        { "compressed without an encoding", Frame([1], compressionFlag: 1), true },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Broken_framing_is_invalid_argument_with_its_reason_in_pieces_of_any_size(string name, byte[] body, bool singleMessage)
    {
        foreach (var chunk in new[] { 1, 4, 5, 1024 })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(body, chunk, singleMessage));

            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{name} in pieces of {chunk}: {error.Status}");
            Assert.Equal("REQUEST_FRAMING_INVALID", Reason(error));
        }
    }

    [Fact]
    public async Task A_message_announced_larger_than_the_limit_is_refused_before_its_bytes_arrive()
    {
        // Only the header is sent: the refusal must not wait for (or buffer) the bytes it announces.
        var header = Frame([], announcedLength: SizeMax + 1);
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(header);
        var reader = new FramingCheckingReader(pipe.Reader, singleMessage: true, compressionAllowed: false, SizeMax);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", Reason(error));
    }

    [Fact]
    public async Task A_message_of_exactly_the_limit_passes()
    {
        var body = Frame(new byte[SizeMax]);

        Assert.Equal(body, await ReadAllAsync(body, 10, singleMessage: true));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task A_stream_read_message_by_message_gets_every_message_in_pieces_of_any_size(int chunk)
    {
        byte[][] messages = [[1], [], [2, 2], [3, 3, 3, 3, 3, 3, 3], [4]];

        var (received, refusal) = await ReadMessagesAsync([.. messages.SelectMany(m => Frame(m))], chunk);

        Assert.Null(refusal);
        Assert.Equal(messages, received);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task The_messages_before_a_broken_frame_are_handed_out_however_the_bytes_are_split(int chunk)
    {
        byte[] body = [.. Frame([1]), .. Frame([2, 2]), .. Frame([9], compressionFlag: 7), .. Frame([3])];

        var (received, refusal) = await ReadMessagesAsync(body, chunk);

        Assert.Equal([[1], [2, 2]], received);
        Assert.NotNull(refusal);
        Assert.Equal("REQUEST_FRAMING_INVALID", Reason(refusal));
    }

    [Fact]
    public async Task Bytes_after_the_one_message_are_refused_before_the_body_completes()
    {
        // The framework reads a unary message as soon as it is whole and fails on any byte after it at once
        // (INTERNAL "Additional data after the message received"), so those bytes must never reach it.
        var pipe = new Pipe();
        byte[] body = [.. Frame([1]), 0, 0];
        await pipe.Writer.WriteAsync(body);
        var reader = new FramingCheckingReader(pipe.Reader, singleMessage: true, compressionAllowed: false, SizeMax);

        var first = await reader.ReadAsync();
        Assert.Equal(Frame([1]), first.Buffer.ToArray());
        Assert.False(first.IsCompleted);
        reader.AdvanceTo(first.Buffer.End);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync());
        Assert.Equal("REQUEST_FRAMING_INVALID", Reason(error));
    }

    [Fact]
    public async Task After_a_refusal_every_read_refuses_again_and_the_body_is_not_left_mid_read()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame([1], compressionFlag: 2));
        var reader = new FramingCheckingReader(pipe.Reader, singleMessage: false, compressionAllowed: false, SizeMax);

        var first = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync());
        var again = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync());
        var tried = Assert.Throws<RpcException>(() => reader.TryRead(out _));

        Assert.Same(first, again);
        Assert.Same(first, tried);
        Assert.True(pipe.Reader.TryRead(out _), "the refusal left the body mid-read");
    }

    private static byte[] Frame(byte[] message, byte compressionFlag = 0, uint? announcedLength = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressionFlag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), announcedLength ?? (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    // Writes the body in pieces of `chunk` bytes while reading it as the framework does a unary request:
    // nothing consumed until the body completes, then everything handed out, until the reader says complete.
    private static async Task<byte[]> ReadAllAsync(byte[] body, int chunk, bool singleMessage, bool compressionAllowed = false)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var reader = new FramingCheckingReader(pipe.Reader, singleMessage, compressionAllowed, SizeMax);
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            await pipe.Writer.WriteAsync(body.AsMemory(offset, Math.Min(chunk, body.Length - offset)));
            var partial = await reader.ReadAsync();
            reader.AdvanceTo(partial.Buffer.Start, partial.Buffer.End);
        }

        await pipe.Writer.CompleteAsync();
        var handedOut = new List<byte>();
        while (true)
        {
            var result = await reader.ReadAsync();
            handedOut.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return [.. handedOut];
            }
        }
    }

    // Writes the body in pieces of `chunk` bytes and, after each, consumes every message that has arrived
    // whole, as a streaming call does: the reader's offsets move with every piece.
    private static async Task<(List<byte[]> Messages, RpcException? Refusal)> ReadMessagesAsync(byte[] body, int chunk)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var reader = new FramingCheckingReader(pipe.Reader, singleMessage: false, compressionAllowed: false, SizeMax);
        var messages = new List<byte[]>();
        try
        {
            for (var offset = 0; offset < body.Length; offset += chunk)
            {
                await pipe.Writer.WriteAsync(body.AsMemory(offset, Math.Min(chunk, body.Length - offset)));
                ConsumeWholeMessages(reader, await reader.ReadAsync(), messages);
            }

            await pipe.Writer.CompleteAsync();
            while (true)
            {
                var result = await reader.ReadAsync();
                ConsumeWholeMessages(reader, result, messages);
                if (result.IsCompleted)
                {
                    return (messages, null);
                }
            }
        }
        catch (RpcException refusal)
        {
            return (messages, refusal);
        }
    }

    private static void ConsumeWholeMessages(PipeReader reader, ReadResult result, List<byte[]> messages)
    {
        var buffer = result.Buffer;
        Span<byte> header = stackalloc byte[5];
        while (buffer.Length >= 5)
        {
            buffer.Slice(0, 5).CopyTo(header);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
            if (buffer.Length < 5 + length)
            {
                break;
            }

            messages.Add(buffer.Slice(5, length).ToArray());
            buffer = buffer.Slice(5 + length);
        }

        reader.AdvanceTo(buffer.Start, result.Buffer.End);
    }

    private static string Reason(RpcException error) => Assert.Single(error.GetRpcStatus()!.Details).Unpack<ErrorInfo>().Reason;
}
