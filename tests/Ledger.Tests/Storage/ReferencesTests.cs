using Payments.Ledger.Tests.Writer;
using Payments.Testing;
using Xunit.Sdk;

namespace Payments.Ledger.Tests.Storage;

/// <summary>
/// The hot tables carry no foreign keys (ADR 0040), so the references they hold are kept by the writer
/// and checked by the invariants every test runs. These tests show the writer keeps them and that the
/// check notices a row that does not.
/// </summary>
public sealed class ReferencesTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Rows_the_writer_posts_reference_what_exists_and_a_dangling_row_breaks_the_invariants()
    {
        await using (LedgerWriterHarness.Start(database))
        {
            var from = Intents.OpenAccount();
            var to = Intents.OpenAccount();
            var hold = Intents.Hold(from.Id, to.Id, 50, TimeSpan.FromMinutes(5));
            await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event,
                Intents.Pay(to.Id, from.Id, 100).Event, Intents.Pay(from.Id, to.Id, 10).Event, hold.Event, Intents.Capture(hold.Id, 20).Event);
        }

        await LedgerInvariants.AssertHoldAsync(database.Ledger);

        // Without foreign keys the database accepts a balanced pair of entries of no transfer, on accounts
        // nobody opened: every other invariant still holds, so only the reference check can notice.
        await database.Ledger.ExecuteAsync("""
            insert into ledger.entries (account_id, account_seq, transfer_id, ledger, ledger_seq, direction, amount_minor, currency,
                                        debits_posted, credits_posted, debits_pending, credits_pending, created_at)
            select gen_random_uuid(), 1, ghost.id, e.ledger, e.ledger_seq, side.direction, 7, e.currency,
                   case side.direction when 'D' then 7 else 0 end, case side.direction when 'C' then 7 else 0 end, 0, 0, e.created_at
            from (select * from ledger.entries limit 1) e
            cross join (select gen_random_uuid() as id) ghost
            cross join (values ('D'), ('C')) as side(direction)
            """);

        var broken = await Assert.ThrowsAsync<TrueException>(() => LedgerInvariants.AssertHoldAsync(database.Ledger, verifyChain: false));
        Assert.Contains("every reference names an existing account", broken.Message, StringComparison.Ordinal);
    }
}
