using Npgsql;

namespace Payments.Testing;

/// <summary>
/// The PostgreSQL server the test command started (scripts/test.sh). Connection details come from the
/// same environment variables the scripts export, with the scripts' defaults.
/// </summary>
public static class PostgresServer
{
    private static string Host => Environment.GetEnvironmentVariable("PAYMENTS_PG_HOST") ?? "127.0.0.1";

    private static string Port => Environment.GetEnvironmentVariable("PAYMENTS_PG_PORT") ?? "5432";

    private static string Password => Environment.GetEnvironmentVariable("PAYMENTS_PG_PASSWORD") ?? "payments-dev";

    /// <summary>The connection string of <paramref name="role"/> to <paramref name="database"/>.</summary>
    public static string ConnectionString(string database, string role) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = int.Parse(Port, System.Globalization.CultureInfo.InvariantCulture),
        Database = database,
        Username = role,
        Password = Password,
        // Small pools: many test classes run at once against one server with ~100 connections.
        MaxPoolSize = 20,
        // Loopback only: TLS here would measure and test OpenSSL, not the platform (docs/performance.md).
        SslMode = SslMode.Disable,
    }.ConnectionString;
}
