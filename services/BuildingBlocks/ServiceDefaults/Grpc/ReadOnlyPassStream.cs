namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// The plumbing of a stream that reads another once, front to back, and owns it: a subclass writes only
/// <see cref="Read(Span{byte})"/> and counts what it hands out in <see cref="Passed"/>.
/// </summary>
internal abstract class ReadOnlyPassStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Passed; set => throw new NotSupportedException(); }

    /// <summary>The bytes handed out so far.</summary>
    protected long Passed { get; set; }

    /// <summary>The stream read from.</summary>
    protected Stream Inner => inner;

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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
}
