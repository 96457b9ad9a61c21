using Npgsql;
using Payments.Ledger.Storage;
using Payments.Postgres;

namespace Payments.Ledger;

/// <summary>
/// <c>Payments.Ledger migrate</c>: applies the schema as the owner role and exits. Deployments run it
/// before the service (a Job or init container in Kubernetes); the service itself never holds the
/// owner's credentials.
/// </summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args.Skip(1).ToArray())
            .Build();
        var connectionString = configuration.GetConnectionString("LedgerOwner")
            ?? throw new InvalidOperationException("Connection string 'LedgerOwner' is not configured (ConnectionStrings__LedgerOwner).");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await SqlMigrator.ApplyAsync(dataSource, LedgerSchema.Migrations, CancellationToken.None);
        Console.WriteLine($"Applied {LedgerSchema.Migrations.Count} migrations (or found them applied).");
        return 0;
    }
}
