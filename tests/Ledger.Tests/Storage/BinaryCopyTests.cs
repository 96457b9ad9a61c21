using Npgsql;
using NpgsqlTypes;
using Payments.Postgres;
using Payments.Testing;

namespace Payments.Ledger.Tests.Storage;

/// <summary>
/// The hand-written COPY encoder stores exactly what Npgsql's own importer stores, for every type the
/// ledger and the event log write, NULLs and awkward values included.
/// </summary>
public sealed class BinaryCopyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Columns = "(u uuid, t text, c char(3), i bigint, b boolean, d bytea, ts timestamptz, j jsonb)";

    private sealed record Row(Guid? U, string? T, string C, long I, bool B, byte[] D, DateTimeOffset? Ts, string J);

    private static readonly Row[] Rows =
    [
        new(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), "plain", "EUR", 0, false, [], DateTimeOffset.UnixEpoch, "{}"),
        new(Guid.NewGuid(), "Zürich – 東京 – \U0001F4B6", "JPY", long.MaxValue, true, [0, 255, 1, 254],
            new DateTimeOffset(2026, 11, 25, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567), """{"amount": 12, "note": "ß"}"""),
        new(null, null, "USD", long.MinValue, true, new byte[32], null, """[1, "two", null]"""),
        new(Guid.Empty, "", "CHF", -1, false, [7], new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9), "\"text\""),
    ];

    [Fact]
    public async Task Stores_every_value_exactly_as_npgsql_does()
    {
        await database.Owner.ExecuteAsync($"create table copy_ours {Columns}; create table copy_npgsql {Columns}");
        await using var connection = await database.Owner.OpenConnectionAsync();

        var ours = new BinaryCopy();
        foreach (var row in Rows)
        {
            ours.StartRow(8);
            ours.Uuid(row.U);
            ours.Text(row.T);
            ours.Text(row.C);
            ours.Int64(row.I);
            ours.Boolean(row.B);
            ours.Bytes(row.D);
            ours.TimestampTz(row.Ts);
            ours.Jsonb(row.J);
        }

        await ours.SendAsync(connection, "copy copy_ours from stdin (format binary)", CancellationToken.None);
        await using (var theirs = await connection.BeginBinaryImportAsync("copy copy_npgsql from stdin (format binary)"))
        {
            foreach (var row in Rows)
            {
                await theirs.StartRowAsync();
                await WriteAsync(theirs, row.U, NpgsqlDbType.Uuid);
                await WriteAsync(theirs, row.T, NpgsqlDbType.Text);
                await theirs.WriteAsync(row.C, NpgsqlDbType.Char);
                await theirs.WriteAsync(row.I, NpgsqlDbType.Bigint);
                await theirs.WriteAsync(row.B, NpgsqlDbType.Boolean);
                await theirs.WriteAsync(row.D, NpgsqlDbType.Bytea);
                await WriteAsync(theirs, row.Ts?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await theirs.WriteAsync(row.J, NpgsqlDbType.Jsonb);
            }

            await theirs.CompleteAsync();
        }

        Assert.Equal(Rows.Length, ours.Rows);
        Assert.Equal(Rows.Length, await database.Owner.ScalarAsync<long>("select count(*) from copy_ours"));
        Assert.Equal(0L, await database.Owner.ScalarAsync<long>("""
            select count(*) from (
                (select u, t, c, i, b, d, ts, j from copy_ours except select u, t, c, i, b, d, ts, j from copy_npgsql)
                union all
                (select u, t, c, i, b, d, ts, j from copy_npgsql except select u, t, c, i, b, d, ts, j from copy_ours)) difference
            """));
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) =>
        value is null ? importer.WriteNullAsync() : importer.WriteAsync(value, type);

    [Fact]
    public async Task A_value_of_the_wrong_size_is_refused_and_nothing_is_stored()
    {
        await database.Owner.ExecuteAsync("create table copy_refused (u uuid, i bigint)");
        await using var connection = await database.Owner.OpenConnectionAsync();
        var copy = new BinaryCopy();
        copy.StartRow(2);
        copy.Uuid(Guid.NewGuid());
        copy.Boolean(true); // one byte where a bigint needs eight

        await Assert.ThrowsAsync<PostgresException>(() => copy.SendAsync(connection, "copy copy_refused from stdin (format binary)", CancellationToken.None));
        Assert.Equal(0L, await database.Owner.ScalarAsync<long>("select count(*) from copy_refused"));
    }
}
