using Npgsql;
using Payments.Ledger.Tests.Writer;
using Payments.Testing;

namespace Payments.Ledger.Tests.Storage;

/// <summary>
/// The database itself refuses to change history: the service role lacks the privilege, and triggers
/// stop even the owner. Every table holds rows first, because row triggers fire only for rows they touch.
/// </summary>
public sealed class AppendOnlyTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public static TheoryData<string> Tables => new()
    {
        "ledger.accounts", "ledger.transfers", "ledger.entries", "ledger.rejections", "eventlog.events",
    };

    public async Task InitializeAsync()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var from = Intents.OpenAccount(noOverdraft: true);
        var to = Intents.OpenAccount();
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event,
            Intents.Pay(to.Id, from.Id, 10).Event, Intents.Pay(from.Id, to.Id, 1_000).Event);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task The_service_role_cannot_update_delete_or_truncate(string table)
    {
        foreach (var statement in Changes(table))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => database.Ledger.ExecuteAsync(statement));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }

        await AssertUnchangedAsync(table);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task Even_the_owner_is_refused_by_the_triggers(string table)
    {
        foreach (var statement in Changes(table))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => database.Owner.ExecuteAsync(statement));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }

        await AssertUnchangedAsync(table);
    }

    [Theory]
    [InlineData("ledger.accounts")]
    [InlineData("ledger.transfers")]
    [InlineData("ledger.entries")]
    [InlineData("ledger.rejections")]
    public async Task The_api_role_cannot_write_the_ledger_at_all(string table)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            database.Api.ExecuteAsync($"insert into {table} select * from {table} limit 1"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.True(await database.Api.ScalarAsync<long>($"select count(*) from {table}") > 0, "the API role can read the ledger");
    }

    private static string[] Changes(string table) =>
    [
        $"update {table} set {AnyColumn(table)} = {AnyColumn(table)}",
        $"delete from {table}",
        $"truncate {table} cascade",
    ];

    private static string AnyColumn(string table) => table switch
    {
        "ledger.accounts" => "owner",
        "eventlog.events" => "subject",
        "ledger.rejections" => "code",
        _ => "currency",
    };

    private async Task AssertUnchangedAsync(string table)
    {
        Assert.True(await database.Owner.ScalarAsync<long>($"select count(*) from {table}") > 0, $"{table} still holds its rows");
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
    }
}
