using Microsoft.Extensions.Configuration;
using Npgsql;
using Payments.Postgres;

namespace Payments.ServiceDefaults.Postgres;

/// <summary>
/// <c>&lt;service&gt; migrate</c>: applies a service's schema as the owner role and exits. Deployments run
/// it before the service (a Job or init container in Kubernetes); the service itself never holds the
/// owner's credentials.
/// </summary>
public static class MigrateCommand
{
    /// <summary>
    /// Applies <paramref name="migrations"/> with the connection string named <paramref name="connectionName"/>
    /// (ConnectionStrings__&lt;name&gt;), read from appsettings.json, the environment and the arguments after "migrate".
    /// </summary>
    public static async Task<int> RunAsync(string[] args, string connectionName, IReadOnlyList<Migration> migrations)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args.Skip(1).ToArray())
            .Build();
        var connectionString = configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is not configured (ConnectionStrings__{connectionName}).");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await SqlMigrator.ApplyAsync(dataSource, migrations, CancellationToken.None);
        Console.WriteLine($"Applied {migrations.Count} migrations (or found them applied).");
        return 0;
    }
}
