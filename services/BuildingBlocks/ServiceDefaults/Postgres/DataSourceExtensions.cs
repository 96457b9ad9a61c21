using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Payments.ServiceDefaults.Postgres;

/// <summary>Registers the service's one <see cref="NpgsqlDataSource"/>.</summary>
public static class DataSourceExtensions
{
    /// <summary>
    /// Registers a data source for the connection string <paramref name="name"/>. The connection string
    /// names the service's own least-privileged role; SSL Mode in it is honoured as written.
    /// </summary>
    public static WebApplicationBuilder AddPaymentsDataSource(this WebApplicationBuilder builder, string name)
    {
        var connectionString = builder.Configuration.GetConnectionString(name)
            ?? throw new InvalidOperationException($"Connection string '{name}' is not configured (ConnectionStrings__{name}).");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString)
        {
            Name = name,
        }.Build());
        return builder;
    }
}
