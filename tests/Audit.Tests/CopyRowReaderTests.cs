using Npgsql;
using Payments.Audit.Scan;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>The scan's own binary COPY decoder reads every value exactly as Npgsql's data reader does.</summary>
public sealed class CopyRowReaderTests
{
    private const string Values = """
        select * from (values
            ('00000000-0000-0000-0000-000000000000'::uuid, 0::bigint, false, ''::text, ''::bytea, '2000-01-01 00:00:00+00'::timestamptz),
            ('ffffffff-ffff-ffff-ffff-ffffffffffff', 9223372036854775807, true, 'EUR', '\x00ff10'::bytea, '1970-01-01 00:00:00.000001+00'),
            ('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', -9223372036854775808, true, 'Zürich ✓ 名前', decode(repeat('ab', 70000), 'hex'), '2026-11-25 10:11:12.345678+05:30'),
            (null, 42, false, null, '\x01'::bytea, null),
            ('7d444840-9dc0-11d1-b245-5ffdce74fad2', -1, true, repeat('x', 100000), '\x'::bytea, '1999-12-31 23:59:59.999999+00')
        ) as v(id, number, flag, words, bytes, instant)
        """;

    [Fact]
    public async Task Every_value_reads_as_the_data_reader_reads_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        var expected = await ReadWithDataReaderAsync(database.Owner);

        await using var connection = await database.Owner.OpenConnectionAsync();
        await using var copy = await connection.BeginRawBinaryCopyAsync($"copy ({Values}) to stdout (format binary)");
        var rows = new CopyRowReader(copy, fieldCount: 6);
        var actual = new List<object?[]>();
        while (rows.NextRow())
        {
            actual.Add([rows.NullableGuid(), rows.Int64(), rows.Boolean(), rows.NullableText(), rows.Bytes(), rows.NullableTimestamp()]);
        }

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public async Task Infinite_timestamps_read_as_the_extremes()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await database.Owner.OpenConnectionAsync();
        await using var copy = await connection.BeginRawBinaryCopyAsync(
            "copy (select 'infinity'::timestamptz, '-infinity'::timestamptz) to stdout (format binary)");
        var rows = new CopyRowReader(copy, fieldCount: 2);

        Assert.True(rows.NextRow());
        Assert.Equal(DateTimeOffset.MaxValue, rows.Timestamp());
        Assert.Equal(DateTimeOffset.MinValue, rows.Timestamp());
        Assert.False(rows.NextRow());
    }

    [Fact]
    public async Task A_null_where_none_may_be_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await database.Owner.OpenConnectionAsync();
        await using var copy = await connection.BeginRawBinaryCopyAsync("copy (select null::bigint, null::text) to stdout (format binary)");
        var rows = new CopyRowReader(copy, fieldCount: 2);

        Assert.True(rows.NextRow());
        Assert.Throws<InvalidDataException>(() => rows.Int64());
    }

    [Fact]
    public async Task A_row_of_another_width_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await database.Owner.OpenConnectionAsync();
        await using var copy = await connection.BeginRawBinaryCopyAsync("copy (select 1::bigint, 2::bigint) to stdout (format binary)");
        var rows = new CopyRowReader(copy, fieldCount: 3);

        Assert.Throws<InvalidDataException>(() => rows.NextRow());
    }

    // A header of 19 bytes, one row of one bigint, 7, and the trailer.
    private static readonly byte[] OneRow =
        [.. "PGCOPY\n"u8, 0xff, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 7, 0xff, 0xff];

    [Fact]
    public void A_whole_stream_reads_to_its_trailer()
    {
        var rows = new CopyRowReader(new MemoryStream(OneRow), fieldCount: 1);

        Assert.True(rows.NextRow());
        Assert.Equal(7, rows.Int64());
        Assert.False(rows.NextRow());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(19)]
    [InlineData(30)]
    [InlineData(34)]
    public void A_stream_cut_short_is_an_error_not_an_end(int keptBytes)
    {
        var rows = new CopyRowReader(new MemoryStream(OneRow[..keptBytes]), fieldCount: 1);

        Assert.Throws<EndOfStreamException>(() =>
        {
            while (rows.NextRow())
            {
                rows.Int64();
            }
        });
    }

    [Fact]
    public void Anything_but_a_binary_copy_is_refused()
    {
        var rows = new CopyRowReader(new MemoryStream("id,amount\n1,2\n"u8.ToArray()), fieldCount: 2);

        Assert.Throws<InvalidDataException>(() => rows.NextRow());
    }

    private static async Task<List<object?[]>> ReadWithDataReaderAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(Values);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(
            [
                reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.GetInt64(1), reader.GetBoolean(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<byte[]>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            ]);
        }

        return rows;
    }
}
