using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>No service connects as a superuser or as a role that may create roles, databases or schemas.</summary>
public sealed class LeastPrivilegeTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Service_roles_are_neither_superusers_nor_owners()
    {
        foreach (var (name, dataSource) in new[] { ("ledger", platform.Database.Ledger), ("api", platform.Database.Api), ("settlement", platform.Database.Settlement) })
        {
            var privileged = await dataSource.ScalarAsync<bool>(
                "select rolsuper or rolcreaterole or rolcreatedb or rolbypassrls from pg_roles where rolname = current_user");
            Assert.False(privileged, $"the {name} role has a superuser-like attribute");
            Assert.False(await dataSource.ScalarAsync<bool>("select has_schema_privilege(current_user, 'ledger', 'CREATE')"),
                $"the {name} role may create objects in the ledger schema");
        }
    }
}
