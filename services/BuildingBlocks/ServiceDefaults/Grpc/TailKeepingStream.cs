namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// A read-only pass over a compressed message that remembers the last bytes read, where the encoding's
/// <see cref="CompressionTrailer"/> stands once the message has been read to its end.
/// </summary>
internal sealed class TailKeepingStream(Stream inner, int tailLength) : Stream
{
    private readonly byte[] tail = new byte[tailLength];
    private long total;

    /// <summary>The message's last bytes read so far; shorter than the trailer when the whole message is.</summary>
    public ReadOnlySpan<byte> Tail => tail.AsSpan(tailLength - (int)Math.Min(total, tailLength));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => total; set => throw new NotSupportedException(); }

    /// <summary>Reads what the decoder left unread (bytes after its end are part of the message too) so the tail is the message's.</summary>
    public void ReadToEnd()
    {
        Span<byte> rest = stackalloc byte[256];
        while (Read(rest) > 0)
        {
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Keep(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Keep(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

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

        total += read.Length;
    }
}
