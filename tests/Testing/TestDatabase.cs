using Npgsql;
using Payments.Ledger.Storage;
using Payments.Postgres;
using Payments.Settlement.Storage;
using Xunit;

namespace Payments.Testing;

/// <summary>
/// A fresh database for one test class, migrated by the owner role, with a data source for each role.
/// Use it as an xunit class fixture.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime, IAsyncDisposable
{
    private const string SuperuserRole = "payments_test_superuser";
    private NpgsqlDataSource? superuser;

    /// <summary>The database's name, unique per fixture.</summary>
    public string Name { get; } = "payments_test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The owner role: runs migrations, and is refused changes like everybody else.</summary>
    public NpgsqlDataSource Owner { get; private set; } = null!;

    /// <summary>The ledger writer's role: INSERT and SELECT only.</summary>
    public NpgsqlDataSource Ledger { get; private set; } = null!;

    /// <summary>The Payment API's role: appends intents, reads the ledger.</summary>
    public NpgsqlDataSource Api { get; private set; } = null!;

    /// <summary>Settlement's role: reads outcomes, appends rail results, keeps the sandbox rail's books.</summary>
    public NpgsqlDataSource Settlement { get; private set; } = null!;

    /// <summary>
    /// A superuser, for tests that play an attacker with full database access. Created by scripts/test.sh only.
    /// </summary>
    public NpgsqlDataSource Superuser => superuser ??= NpgsqlDataSource.Create(ConnectionString(SuperuserRole));

    /// <summary>The connection string of <paramref name="role"/> to this database.</summary>
    public string ConnectionString(string role) => PostgresServer.ConnectionString(Name, role);

    /// <summary>A fresh, migrated database; dispose it to drop it.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        return database;
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await using (var server = NpgsqlDataSource.Create(PostgresServer.ConnectionString("postgres", DatabaseRoles.Owner)))
        await using (var create = server.CreateCommand($"create database \"{Name}\""))
        {
            await create.ExecuteNonQueryAsync();
        }

        Owner = NpgsqlDataSource.Create(ConnectionString(DatabaseRoles.Owner));
        Ledger = NpgsqlDataSource.Create(ConnectionString(DatabaseRoles.LedgerWriter));
        Api = NpgsqlDataSource.Create(ConnectionString(DatabaseRoles.Api));
        Settlement = NpgsqlDataSource.Create(ConnectionString(DatabaseRoles.Settlement));
        await SqlMigrator.ApplyAsync(Owner, [.. LedgerSchema.Migrations, .. SettlementSchema.Migrations], CancellationToken.None);
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Owner.DisposeAsync();
        await Ledger.DisposeAsync();
        await Api.DisposeAsync();
        await Settlement.DisposeAsync();
        if (superuser is not null)
        {
            await superuser.DisposeAsync();
        }

        // PAYMENTS_KEEP_TEST_DATABASES=1 leaves every database behind for inspection after a failed run.
        if (Environment.GetEnvironmentVariable("PAYMENTS_KEEP_TEST_DATABASES") == "1")
        {
            return;
        }

        try
        {
            await DropAsync(DatabaseRoles.Owner);
        }
        catch (PostgresException)
        {
            // The owner may end only its own roles' sessions, and a process a test started (the Ledger,
            // say, as its own role) may still hold one. The superuser scripts/test.sh creates may end any.
            // Without it, the database is left for the next fresh machine rather than failing a test that passed.
            try
            {
                await DropAsync(SuperuserRole);
            }
            catch (Exception exception) when (exception is PostgresException or NpgsqlException)
            {
                // Left behind, as above.
            }
        }
    }

    private async Task DropAsync(string role)
    {
        await using var server = NpgsqlDataSource.Create(PostgresServer.ConnectionString("postgres", role));
        await using var drop = server.CreateCommand($"drop database if exists \"{Name}\" with (force)");
        await drop.ExecuteNonQueryAsync();
    }
}
