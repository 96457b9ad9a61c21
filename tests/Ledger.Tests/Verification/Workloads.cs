using Payments.EventBus;
using Payments.Ledger.Tests.Writer;
using Payments.Testing;

namespace Payments.Ledger.Tests.Verification;

/// <summary>A mixed workload through the real writer: opens, transfers, refusals, malformed events and duplicates.</summary>
internal static class Workloads
{
    public static async Task RunMixedAsync(TestDatabase database, int transfers)
    {
        await using var writer = LedgerWriterHarness.Start(database);
        var funding = Intents.OpenAccount(owner: "treasury");
        var wallets = Enumerable.Range(0, 4).Select(i => Intents.OpenAccount(noOverdraft: true, owner: $"w{i}")).ToList();
        var dollars = Intents.OpenAccount(currency: "USD");
        var events = new List<EventEnvelope> { funding.Event, dollars.Event };
        events.AddRange(wallets.Select(w => w.Event));

        var random = new Random(20261124);
        for (var i = 0; i < transfers; i++)
        {
            var from = random.Next(3) == 0 ? funding.Id : wallets[random.Next(wallets.Count)].Id;
            var to = wallets[random.Next(wallets.Count)].Id;
            var payment = Intents.Pay(from, to == from ? funding.Id : to, random.Next(1, 5_000));
            events.Add(payment.Event);
            if (i % 17 == 0)
            {
                events.Add(Intents.Republished(payment.Event));
            }
        }

        // Holds, their captures, voids and expiries, reversals and account status changes.
        var start = DateTimeOffset.UtcNow;
        var holds = new List<Guid>();
        var posted = new List<Guid>();
        for (var i = 0; i < transfers / 5; i++)
        {
            var hold = Intents.Hold(funding.Id, wallets[i % wallets.Count].Id, 100 + i, TimeSpan.FromSeconds(1 + (i % 7)), at: start);
            holds.Add(hold.Id);
            events.Add(hold.Event);
            var sale = Intents.Pay(funding.Id, wallets[i % wallets.Count].Id, 50 + i);
            posted.Add(sale.Id);
            events.Add(sale.Event);
        }

        for (var i = 0; i < holds.Count; i++)
        {
            events.Add((i % 3) switch
            {
                0 => Intents.Capture(holds[i], i % 2 == 0 ? 0 : 50, at: start).Event,
                1 => Intents.Void(holds[i]).Event,
                _ => Intents.Reverse(posted[i], i % 2 == 0 ? 0 : 10).Event,
            });
        }

        // Payouts: settled (one of them twice), failed, or left to expire with the clock.
        var settlement = Intents.OpenAccount(owner: "settlement");
        events.Add(settlement.Event);
        for (var i = 0; i < transfers / 10; i++)
        {
            var payout = Intents.Payout(funding.Id, settlement.Id, 200 + i, TimeSpan.FromSeconds(2 + (i % 5)), at: start);
            events.Add(payout.Event);
            events.AddRange((i % 3) switch
            {
                0 => i % 2 == 0 ? [Intents.Settled(payout.Id, at: start), Intents.Settled(payout.Id, at: start)] : [Intents.Settled(payout.Id, at: start)],
                1 => [Intents.SettlementFailed(payout.Id, at: start)],
                _ => [],
            });
        }

        events.Add(Intents.Tick(start.AddSeconds(4)));
        events.Add(Intents.SetStatus(wallets[3].Id, Payments.Contracts.LedgerV1.AccountStatus.Frozen).Event);
        events.Add(Intents.Pay(wallets[3].Id, funding.Id, 1).Event);
        events.Add(Intents.Tick(start.AddSeconds(10)));
        events.Add(Intents.Reverse(posted[0]).Event);
        events.Add(Intents.Pay(funding.Id, dollars.Id, 10).Event);
        events.Add(Intents.Pay(funding.Id, Guid.NewGuid(), 10).Event);
        events.Add(Intents.Pay(funding.Id, wallets[0].Id, 0).Event);
        events.Add(Intents.Pay(funding.Id, wallets[0].Id, 10).Event with { Data = """{"paymentId":"not-a-uuid"}""" });
        foreach (var chunk in events.Chunk(37))
        {
            await LedgerWriterHarness.PublishAndWaitAsync(database, chunk);
        }
    }
}
