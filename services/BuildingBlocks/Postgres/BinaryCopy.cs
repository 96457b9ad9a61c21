using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace Payments.Postgres;

/// <summary>
/// Rows in PostgreSQL's binary COPY format, encoded straight into one buffer and sent in one go. Npgsql's
/// importer costs an asynchronous call per value, which made COPY of the ledger's rows slower on the
/// client than in the database; here a value is a few bytes written into a span. The format is
/// PostgreSQL's own ("COPY ... FROM STDIN (FORMAT BINARY)"): a signature, then per row a field count and
/// per field a length (-1 for NULL) and the value in network byte order; the server checks every value
/// against its column type, so a mistake here is refused, never stored.
/// </summary>
public sealed class BinaryCopy
{
    // "PGCOPY\n\xff\r\n\0", then no flags and no header extension.
    private static readonly byte[] Signature = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    // Timestamps travel as microseconds since 2000-01-01 UTC.
    private static readonly long EpochTicks = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    private readonly ArrayBufferWriter<byte> buffer = new(64 * 1024);

    /// <summary>Starts an empty COPY stream.</summary>
    public BinaryCopy() => buffer.Write(Signature);

    /// <summary>The rows written so far.</summary>
    public int Rows { get; private set; }

    /// <summary>Starts a row of <paramref name="fields"/> values, which must follow in column order.</summary>
    public void StartRow(short fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.GetSpan(2), fields);
        buffer.Advance(2);
        Rows++;
    }

    /// <summary>A SQL NULL.</summary>
    public void Null() => Length(-1);

    /// <summary>A <c>uuid</c>.</summary>
    public void Uuid(Guid value)
    {
        Length(16);
        value.TryWriteBytes(buffer.GetSpan(16), bigEndian: true, out _);
        buffer.Advance(16);
    }

    /// <summary>A <c>uuid</c> or NULL.</summary>
    public void Uuid(Guid? value)
    {
        if (value is { } id)
        {
            Uuid(id);
        }
        else
        {
            Null();
        }
    }

    /// <summary>A <c>bigint</c>.</summary>
    public void Int64(long value)
    {
        Length(8);
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    /// <summary>A <c>boolean</c>.</summary>
    public void Boolean(bool value)
    {
        Length(1);
        buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        buffer.Advance(1);
    }

    /// <summary>A <c>text</c> or <c>char(n)</c> (UTF-8, as Npgsql connects), or NULL.</summary>
    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        Length(length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    /// <summary>A <c>bytea</c>.</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        Length(value.Length);
        buffer.Write(value);
    }

    /// <summary>A <c>timestamptz</c>, to the microsecond (truncated, as Npgsql does).</summary>
    public void TimestampTz(DateTimeOffset value)
    {
        Length(8);
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), (value.UtcTicks - EpochTicks) / TimeSpan.TicksPerMicrosecond);
        buffer.Advance(8);
    }

    /// <summary>A <c>timestamptz</c> or NULL.</summary>
    public void TimestampTz(DateTimeOffset? value)
    {
        if (value is { } time)
        {
            TimestampTz(time);
        }
        else
        {
            Null();
        }
    }

    /// <summary>A <c>jsonb</c> from its text (format version 1, then the text).</summary>
    public void Jsonb(string json)
    {
        var length = Encoding.UTF8.GetByteCount(json);
        Length(length + 1);
        var span = buffer.GetSpan(length + 1);
        span[0] = 1;
        Encoding.UTF8.GetBytes(json, span[1..]);
        buffer.Advance(length + 1);
    }

    /// <summary>
    /// Ends the stream and sends it with <paramref name="copyCommand"/> (<c>copy t (columns) from stdin (format binary)</c>)
    /// on <paramref name="connection"/>, in its current transaction. Returns once the server has taken every row.
    /// </summary>
    public async Task SendAsync(NpgsqlConnection connection, string copyCommand, CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.GetSpan(2), -1);
        buffer.Advance(2);
        await using var stream = await connection.BeginRawBinaryCopyAsync(copyCommand, cancellationToken);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    private void Length(int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), length);
        buffer.Advance(4);
    }
}
