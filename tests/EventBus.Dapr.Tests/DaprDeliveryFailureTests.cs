using Npgsql;
using Payments.Postgres;
using Payments.Testing;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>
/// Deliveries the Ledger cannot handle now are answered RETRY, and the redelivery that follows once
/// the cause is gone is applied, once. The database is made unavailable to this test's database only
/// (a connection limit of zero and its sessions ended), never to the shared roles other tests use.
/// </summary>
public sealed class DaprDeliveryFailureTests(DaprLedger fixture) : IClassFixture<DaprLedger>
{
    [Fact]
    public async Task ADatabaseThatRefusesConnectionsIsRetryAndTheRedeliveryIsAppliedOnceItIsBack()
    {
        var warmUp = IntentEvents.OpenAccount();
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, warmUp.CloudEvent));
        var account = IntentEvents.OpenAccount();

        await SetConnectionLimitAsync(0);
        try
        {
            await fixture.Database.Superuser.ExecuteAsync(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and usename = $2",
                fixture.Database.Name, DatabaseRoles.LedgerWriter);
            Assert.Equal("RETRY", await DaprDeliveries.DeliverAsync(fixture.Http, account.CloudEvent));
        }
        finally
        {
            await SetConnectionLimitAsync(-1);
        }

        Assert.Equal(0L, await CountAccountAsync(account.Id));
        await RedeliverUntilSuccessAsync(account.CloudEvent);
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, account.CloudEvent));
        Assert.Equal(1L, await CountAccountAsync(account.Id));
    }

    [Fact]
    public async Task AWriterLockHeldElsewhereBeyondTheWaitIsRetry()
    {
        var account = IntentEvents.OpenAccount();
        await using (var other = await fixture.Database.Superuser.OpenConnectionAsync())
        {
            // Another writer of the same ledger, on either transport, holds this lock while it writes.
            await using var hold = new NpgsqlCommand("select pg_advisory_lock(hashtextextended($1, 0))", other);
            hold.Parameters.Add(new NpgsqlParameter { Value = "eventlog.consumer:ledger-writer.main" });
            await hold.ExecuteNonQueryAsync();

            Assert.Equal("RETRY", await DaprDeliveries.DeliverAsync(fixture.Http, account.CloudEvent));
            Assert.Equal(0L, await CountAccountAsync(account.Id));

            await using var release = new NpgsqlCommand("select pg_advisory_unlock_all()", other);
            await release.ExecuteNonQueryAsync();
        }

        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, account.CloudEvent));
        Assert.Equal(1L, await CountAccountAsync(account.Id));
    }

    // As the sidecar does after RETRY: pooled connections the server ended may fail a few more deliveries
    // before the pool has replaced them, and each of those must again be a RETRY, never anything else.
    private async Task RedeliverUntilSuccessAsync(System.Text.Json.Nodes.JsonObject cloudEvent)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var status = await DaprDeliveries.DeliverAsync(fixture.Http, cloudEvent);
            if (status == "SUCCESS")
            {
                return;
            }

            Assert.Equal("RETRY", status);
            Assert.True(DateTime.UtcNow < deadline, "the redelivery kept failing after the database was back");
            await Task.Delay(100);
        }
    }

    private Task<long> CountAccountAsync(Guid id) =>
        fixture.Database.Owner.ScalarAsync<long>("select count(*) from ledger.accounts where id = $1", id);

    private Task SetConnectionLimitAsync(int limit) =>
        fixture.Database.Superuser.ExecuteAsync($"alter database \"{fixture.Database.Name}\" connection limit {limit}");
}
