using Npgsql;

namespace Payments.Testing;

/// <summary>Terse SQL for assertions.</summary>
public static class Sql
{
    /// <summary>The first column of the first row, as <typeparamref name="T"/>.</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement.</summary>
    public static async Task ExecuteAsync(this NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }
}
