using Payments.Contracts.PaymentsV1;
using Payments.Postgres;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// The services use their connection strings as written, so <c>SSL Mode</c> decides whether their
/// PostgreSQL sessions are encrypted: seen from the server, in <c>pg_stat_ssl</c>.
/// </summary>
public sealed class DatabaseTlsTests(Platform platform) : IClassFixture<Platform>
{
    [Theory]
    [InlineData("Require", true)]
    [InlineData("Disable", false)]
    public async Task A_service_connects_to_postgres_with_the_ssl_mode_of_its_connection_string(string sslMode, bool encrypted)
    {
        var serverSsl = await platform.Database.Api.ScalarAsync<string>("show ssl");
        Assert.True(serverSsl == "on", "the test server must offer TLS for this test to mean anything");

        var application = "payments-api-ssl-" + sslMode.ToLowerInvariant();
        var environment = new Dictionary<string, string>(TestTokens.ServiceEnvironment)
        {
            ["ConnectionStrings__Payments"] = platform.Database.ConnectionString(DatabaseRoles.Api) + $";SSL Mode={sslMode};Application Name={application}",
        };
        await using var api = await ServiceProcess.StartAsync("Payments.Api", "Payments.Api.dll", environment);
        var client = new PaymentService.PaymentServiceClient(TestTokens.Invoker(api.Url, TestTokens.For(Platform.DefaultPrincipal, Scopes.All)));
        await client.ListPaymentsAsync(new ListPaymentsRequest(), deadline: platform.Deadline);

        // A role sees the details of its own sessions; the API's pooled connection stays open after the call.
        var sessions = await platform.Database.Api.ScalarAsync<long>(
            "select count(*) from pg_stat_activity a join pg_stat_ssl s using (pid) where a.application_name = $1 and s.ssl = $2",
            application, encrypted);
        Assert.True(sessions > 0, $"no session of {application} with ssl = {encrypted}");
    }
}
