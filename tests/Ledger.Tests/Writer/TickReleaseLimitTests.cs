using Payments.EventBus;
using Payments.Ledger.Replay;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Ledger.Tests.Writer;

/// <summary>
/// A tick releases at most <see cref="ClockTick.ReleasesMax"/> holds, the first by (expiry, sequence) as
/// the tick finds them, so its transaction stays bounded; and which ones does not depend on batches.
/// </summary>
public sealed class TickReleaseLimitTests
{
    [Fact]
    public async Task A_tick_releases_the_first_holds_up_to_its_limit_and_the_next_tick_the_rest()
    {
        await using var database = await TestDatabase.CreateAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var holds = Enumerable.Range(0, ClockTick.ReleasesMax + 2)
            .Select(_ => Intents.Hold(from.Id, to.Id, 1, TimeSpan.FromMinutes(10), at: start)).ToList();
        await using (LedgerWriterHarness.Start(database))
        {
            await LedgerWriterHarness.PublishAndWaitAsync(database, [from.Event, to.Event, .. holds.Select(h => h.Event)]);
        }

        // A fresh writer holds none of them in its books, so it reads the tick's holds from the database.
        await using (LedgerWriterHarness.Start(database))
        {
            // One batch: the void takes the first hold before the tick comes to it, so the tick reaches one further.
            var due = start.AddMinutes(11);
            await LedgerWriterHarness.PublishAndWaitAsync(database, Intents.Void(holds[0].Id).Event, Intents.Tick(due));
            Assert.Equal(ClockTick.ReleasesMax, await ExpiredAsync(database));
            Assert.Equal(1L, await OpenAsync(database));
            Assert.Equal(holds[^1].Id, await database.Ledger.ScalarAsync<Guid>("""
                select p.id from ledger.transfers p
                where p.kind = 'PENDING' and not exists (select 1 from ledger.transfers r where r.pending_id = p.id)
                """));

            await LedgerWriterHarness.PublishAndWaitAsync(database, Intents.Tick(due.AddSeconds(1)));
            Assert.Equal(ClockTick.ReleasesMax + 1, await ExpiredAsync(database));
            Assert.Equal(0L, await OpenAsync(database));
        }

        await LedgerInvariants.AssertHoldAsync(database.Ledger);
        await using var rebuilt = await TestDatabase.CreateAsync();
        var replay = await LedgerRebuilder.RebuildAsync(database.Ledger, rebuilt.Owner, Intents.Ledger, CancellationToken.None);
        Assert.True(replay.Identical, $"live {replay.LiveHash} vs rebuilt {replay.RebuiltHash}");
    }

    private static Task<long> ExpiredAsync(TestDatabase database) =>
        database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers where expired");

    private static Task<long> OpenAsync(TestDatabase database) => database.Ledger.ScalarAsync<long>("""
        select count(*) from ledger.transfers p
        where p.kind = 'PENDING' and not exists (select 1 from ledger.transfers r where r.pending_id = p.id)
        """);
}
