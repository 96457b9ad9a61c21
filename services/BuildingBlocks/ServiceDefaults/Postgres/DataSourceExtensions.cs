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
        builder.Services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = name };

            // The services run the same few statements over and over; prepared once per connection,
            // PostgreSQL stops parsing and planning them on every call. A value in the connection
            // string wins.
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
                dataSource.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }

            return dataSource.Build();
        });
        return builder;
    }
}
