namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// A read-only pass over a compressed message that remembers the last bytes read, where the encoding's
/// <see cref="CompressionTrailer"/> stands once the message has been read to its end.
/// </summary>
internal sealed class TailKeepingStream(Stream inner, int tailLength) : ReadOnlyPassStream(inner)
{
    private readonly byte[] tail = new byte[tailLength];

    /// <summary>The message's last bytes read so far; shorter than the trailer when the whole message is.</summary>
    public ReadOnlySpan<byte> Tail => tail.AsSpan(tailLength - (int)Math.Min(Passed, tailLength));

    /// <summary>Reads what the decoder left unread (bytes after its end are part of the message too) so the tail is the message's.</summary>
    public void ReadToEnd()
    {
        Span<byte> rest = stackalloc byte[256];
        while (Read(rest) > 0)
        {
        }
    }

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        Keep(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        Keep(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The tail array holds the last bytes at its end: shift the old ones left, then copy the new ones in.
    private void Keep(ReadOnlySpan<byte> read)
    {
        if (read.Length >= tailLength)
        {
            read[^tailLength..].CopyTo(tail);
        }
        else if (!read.IsEmpty)
        {
            tail.AsSpan(read.Length).CopyTo(tail);
            read.CopyTo(tail.AsSpan(tailLength - read.Length));
        }

        Passed += read.Length;
    }
}
