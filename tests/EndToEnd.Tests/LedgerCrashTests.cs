using Payments.Contracts.PaymentsV1;
using Payments.Testing;

namespace Payments.EndToEnd.Tests;

/// <summary>kill -9 of the ledger while payments are in flight: nothing acknowledged is lost or doubled.</summary>
public sealed class LedgerCrashTests(Platform platform) : IClassFixture<Platform>
{
    private const int PaymentCount = 400;
    private const int KillAfterAcknowledged = 100;
    private const int ClientsMax = 16;

    [Fact]
    public async Task Every_acknowledged_payment_posts_exactly_once_across_a_kill_and_restart()
    {
        var funding = await platform.OpenAccountAsync("treasury");
        var wallets = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            wallets.Add(await platform.OpenAccountAsync($"wallet-{i}", noOverdraft: true));
        }

        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killer = Task.Run(async () =>
        {
            await Eventually.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= KillAfterAcknowledged),
                TimeSpan.FromSeconds(60), "enough payments were acknowledged");
            await platform.Ledger.KillAsync();
            killed.SetResult();
        });

        await Parallel.ForEachAsync(Enumerable.Range(0, PaymentCount), new ParallelOptions { MaxDegreeOfParallelism = ClientsMax },
            async (i, _) =>
            {
                var requestId = $"crash-{i}";
                var payment = await platform.PayAsync(funding, wallets[i % wallets.Count], 100 + i, requestId, wait: false);
                acknowledged[payment.Id] = requestId;
            });
        await killer;
        Assert.True(killed.Task.IsCompleted);
        Assert.True(await Undecided(acknowledged.Keys) > 0, "the ledger was killed with payments still in flight");

        await platform.RestartLedgerAsync();
        await Eventually.WaitUntilAsync(async () => await Undecided(acknowledged.Keys) == 0,
            TimeSpan.FromSeconds(90), "every acknowledged payment has an outcome");

        // Clients that never heard back retry; a retry must not post again.
        foreach (var (paymentId, requestId) in acknowledged.Take(50))
        {
            var index = int.Parse(requestId["crash-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var retried = await platform.PayAsync(funding, wallets[index % wallets.Count], 100 + index, requestId, wait: true);
            Assert.Equal(paymentId, retried.Id);
            Assert.Equal(PaymentStatus.Posted, retried.Status);
        }

        var ids = acknowledged.Keys.Select(Guid.Parse).ToArray();
        Assert.Equal(PaymentCount, acknowledged.Count);
        Assert.Equal((long)PaymentCount, await platform.Database.Ledger.ScalarAsync<long>(
            "select count(*) from ledger.transfers where id = any($1)", ids));
        Assert.Equal((long)PaymentCount, await platform.Database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers"));
        Assert.Equal(0L, await platform.Database.Ledger.ScalarAsync<long>("select count(*) from ledger.rejections"));
        var expectedTotal = Enumerable.Range(0, PaymentCount).Sum(i => 100L + i);
        Assert.Equal(-expectedTotal, await platform.PostedBalanceAsync(funding));
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);
    }

    private Task<long> Undecided(IEnumerable<string> paymentIds) => platform.Database.Ledger.ScalarAsync<long>("""
        select count(*) from unnest($1::uuid[]) p(id)
        where not exists (select 1 from ledger.transfers t where t.id = p.id)
          and not exists (select 1 from ledger.rejections r where r.intent_id = p.id)
        """, paymentIds.Select(Guid.Parse).ToArray());
}
