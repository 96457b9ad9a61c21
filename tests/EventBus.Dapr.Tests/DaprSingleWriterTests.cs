using Payments.Testing;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>
/// Kafka decides which ledger replica receives a partition, and a rebalance can move it. Deliveries to
/// two replicas in turn must still build one consistent ledger: each reloads what the other wrote.
/// </summary>
public sealed class DaprSingleWriterTests(DaprLedger fixture) : IClassFixture<DaprLedger>
{
    [Fact]
    public async Task DeliveriesAlternatingBetweenTwoReplicasKeepBalancesAndTheChainConsistent()
    {
        // The fixture owns the process and ends it with the others.
        var second = await fixture.StartLedgerAsync();
        using var secondHttp = DaprDeliveries.Client(second.Url);
        var replicas = new[] { fixture.Http, secondHttp };
        var from = IntentEvents.OpenAccount();
        var to = IntentEvents.OpenAccount();
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(replicas[0], from.CloudEvent));
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(replicas[1], to.CloudEvent));

        for (var i = 0; i < 6; i++)
        {
            var payment = IntentEvents.Pay(from.Id, to.Id, 100 + i);
            Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(replicas[i % 2], payment.CloudEvent));
        }

        // 100 + 101 + ... + 105: a replica that posted from a stale cached balance would show less.
        Assert.Equal(615L, await fixture.Database.Owner.ScalarAsync<long>(
            "select debits_posted from ledger.entries where account_id = $1 order by account_seq desc limit 1", from.Id));
        await LedgerInvariants.AssertHoldAsync(fixture.Database.Owner);
    }

    [Fact]
    public async Task A_replica_with_warm_books_sees_a_freeze_another_replica_wrote_before_it_decides()
    {
        var second = await fixture.StartLedgerAsync();
        using var secondHttp = DaprDeliveries.Client(second.Url);
        var from = IntentEvents.OpenAccount();
        var to = IntentEvents.OpenAccount();

        // Three deliveries in a row: from the second one on, this replica trusts the books it holds.
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, from.CloudEvent));
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, to.CloudEvent));
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, IntentEvents.Pay(from.Id, to.Id, 100).CloudEvent));
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(secondHttp, IntentEvents.Freeze(from.Id).CloudEvent));

        // Deciding from the books before learning that another replica wrote would debit a frozen account.
        var payment = IntentEvents.Pay(from.Id, to.Id, 50);
        Assert.Equal("SUCCESS", await DaprDeliveries.DeliverAsync(fixture.Http, payment.CloudEvent));
        Assert.Equal("ACCOUNT_FROZEN", await fixture.Database.Owner.ScalarAsync<string>(
            "select code from ledger.rejections where intent_id = $1", payment.Id));
        Assert.Equal(100L, await fixture.Database.Owner.ScalarAsync<long>(
            "select debits_posted from ledger.entries where account_id = $1 order by account_seq desc limit 1", from.Id));
        await LedgerInvariants.AssertHoldAsync(fixture.Database.Owner);
    }
}
