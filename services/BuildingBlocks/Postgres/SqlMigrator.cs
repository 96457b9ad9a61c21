using Npgsql;

namespace Payments.Postgres;

/// <summary>
/// Applies migrations as the owner role. Services never run this with their own, least-privileged
/// roles: those cannot create or alter anything.
/// </summary>
public static class SqlMigrator
{
    // Any constant works; it only has to be the same for every migrator of the database.
    private const long MigrationLockKey = 0x5041594D454E5453; // "PAYMENTS"

    /// <summary>Applies every migration not yet recorded, in the given order, in one transaction.</summary>
    public static async Task ApplyAsync(
        NpgsqlDataSource ownerDataSource, IEnumerable<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await ownerDataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Two migrators starting at once (two replicas, say) must not both apply the same change.
        await ExecuteAsync(connection, $"select pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(connection, """
            create table if not exists public.schema_migrations (
                id text primary key,
                applied_at timestamptz not null default now())
            """, cancellationToken);

        foreach (var migration in migrations)
        {
            await using var check = new NpgsqlCommand("select count(*) from public.schema_migrations where id = $1", connection);
            check.Parameters.Add(new NpgsqlParameter { Value = migration.Id });
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                continue;
            }

            await ExecuteAsync(connection, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand("insert into public.schema_migrations (id) values ($1)", connection);
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Id });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
