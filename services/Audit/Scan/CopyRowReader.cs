using System.Buffers.Binary;
using System.Text;

namespace Payments.Audit.Scan;

/// <summary>
/// Reads the rows of a <c>COPY … TO STDOUT (FORMAT binary)</c> stream field by field, straight from a buffer.
/// The audit reads every row of a ledger once; decoding the values here instead of through a data reader
/// roughly halves the client's cost per value (docs/performance.md). The layout is PostgreSQL's documented
/// binary COPY format: a signature and header, then per row a field count and per field a length (-1 for
/// NULL) followed by the value in the type's binary send format, then a trailer of -1.
/// </summary>
internal sealed class CopyRowReader
{
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xff, (byte)'\r', (byte)'\n', 0];

    // PostgreSQL counts timestamps in microseconds from 2000-01-01 UTC; infinities are the extremes.
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private readonly Stream stream;
    private readonly int fieldCount;
    private byte[] buffer = new byte[64 * 1024];
    private int position;
    private int end;
    private bool headerRead;

    /// <param name="stream">The raw COPY stream, from its first byte.</param>
    /// <param name="fieldCount">The columns the COPY's query selects; every row must have exactly these.</param>
    public CopyRowReader(Stream stream, int fieldCount)
    {
        this.stream = stream;
        this.fieldCount = fieldCount;
    }

    /// <summary>Moves to the next row; false at the trailer.</summary>
    public bool NextRow()
    {
        if (!headerRead)
        {
            ReadHeader();
        }

        var count = BinaryPrimitives.ReadInt16BigEndian(Take(2));
        if (count == -1)
        {
            return false;
        }

        return count == fieldCount ? true : throw new InvalidDataException($"a COPY row has {count} fields, expected {fieldCount}");
    }

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Value(8));

    public bool Boolean() => Value(1)[0] != 0;

    public Guid Guid() => new(Value(16), bigEndian: true);

    public Guid? NullableGuid() => IsNull() ? null : Guid();

    public byte[] Bytes() => Take(Length()).ToArray();

    /// <summary>A UTF-8 text value; <paramref name="recent"/> hands back the same string for a repeated value.</summary>
    public string Text(RecentStrings? recent = null)
    {
        var bytes = Take(Length());
        return recent is null ? Encoding.UTF8.GetString(bytes) : recent.Get(bytes);
    }

    public string? NullableText() => IsNull() ? null : Text();

    /// <summary>A <c>timestamptz</c> as a UTC instant, as Npgsql reads it.</summary>
    public DateTimeOffset Timestamp()
    {
        var microseconds = BinaryPrimitives.ReadInt64BigEndian(Value(8));
        return microseconds switch
        {
            long.MaxValue => DateTimeOffset.MaxValue,
            long.MinValue => DateTimeOffset.MinValue,
            _ => new DateTimeOffset(PostgresEpochTicks + (microseconds * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero),
        };
    }

    public DateTimeOffset? NullableTimestamp() => IsNull() ? null : Timestamp();

    private void ReadHeader()
    {
        if (!Take(Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("not a binary COPY stream");
        }

        Take(4); // flags: no OIDs in the data since PostgreSQL 12
        var extension = BinaryPrimitives.ReadInt32BigEndian(Take(4));
        Take(extension);
        headerRead = true;
    }

    // A value of a fixed width: its length must say so, which also refuses NULL where none may be.
    private ReadOnlySpan<byte> Value(int width)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(Take(4));
        return length == width ? Take(width) : throw new InvalidDataException($"a COPY value of {length} bytes, expected {width}");
    }

    private int Length()
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(Take(4));
        return length >= 0 ? length : throw new InvalidDataException("a NULL where the column admits none");
    }

    // Reads a value's length without consuming it unless it is NULL's -1.
    private bool IsNull()
    {
        Fill(4);
        if (BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(position, 4)) != -1)
        {
            return false;
        }

        position += 4;
        return true;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        Fill(count);
        var span = buffer.AsSpan(position, count);
        position += count;
        return span;
    }

    // Makes at least count unread bytes available, moving the unread rest to the front of the buffer first.
    private void Fill(int count)
    {
        if (end - position >= count)
        {
            return;
        }

        if (count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(count, buffer.Length * 2));
        }

        buffer.AsSpan(position, end - position).CopyTo(buffer);
        (end, position) = (end - position, 0);
        while (end < count)
        {
            var read = stream.Read(buffer, end, buffer.Length - end);
            end += read > 0 ? read : throw new EndOfStreamException("the COPY stream ended inside a row");
        }
    }
}
