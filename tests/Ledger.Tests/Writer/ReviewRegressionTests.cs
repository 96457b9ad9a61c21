using Payments.Contracts.EventsV1;
using Payments.EventBus;
using Payments.Ledger.Domain;
using Payments.Ledger.Replay;
using Payments.Ledger.Storage;
using Payments.Ledger.Verification;
using Payments.Ledger.Writer;
using Payments.Testing;
using ProtoStatus = Payments.Contracts.LedgerV1.AccountStatus;

namespace Payments.Ledger.Tests.Writer;

/// <summary>Regressions for defects a review found; each test fails on the code before its fix.</summary>
public sealed class ReviewRegressionTests
{
    [Fact]
    public void A_tick_never_expires_another_ledgers_hold_even_if_the_book_holds_it()
    {
        var book = new TransferBook();
        var now = DateTimeOffset.UtcNow;
        TransferState Hold(string ledger) => new(Guid.NewGuid(), ledger, TransferKind.Pending, Guid.NewGuid(), Guid.NewGuid(), 5, "EUR", 1,
            now.AddSeconds(-1), HoldResolution.Open, 0);
        var mine = Hold("main");
        book.Put(mine);
        book.Put(Hold("other"));

        Assert.Equal([mine.Id], book.OpenHoldsExpiredAt("main", now).Select(h => h.Id));
    }

    [Fact]
    public void A_status_change_to_an_unknown_status_is_malformed_not_an_unfreeze()
    {
        var id = Guid.NewGuid();
        var request = new AccountStatusChangeRequested
        {
            ChangeId = id.ToString(), AccountId = Guid.NewGuid().ToString(), Ledger = Intents.Ledger, Status = (ProtoStatus)42, Principal = "dev",
        };
        var envelope = ProtoEvents.Wrap(request, Guid.NewGuid(), "tests", id.ToString(), Intents.Ledger, DateTimeOffset.UtcNow, null);
        Assert.IsType<MalformedIntent>(IntentDecoder.Decode(envelope, Intents.Ledger));
    }

    [Fact]
    public async Task A_transfer_no_intent_explains_makes_the_rebuild_differ()
    {
        await using var live = await TestDatabase.CreateAsync();
        await using (var writer = LedgerWriterHarness.Start(live))
        {
            var from = Intents.OpenAccount();
            var to = Intents.OpenAccount();
            await LedgerWriterHarness.PublishAndWaitAsync(live, from.Event, to.Event, Intents.Pay(from.Id, to.Id, 10).Event);

            // Someone with the writer's role appends a perfectly hashed transfer that no event asked for.
            await using var connection = await live.Ledger.OpenConnectionAsync();
            var accounts = await LedgerWriteStore.LoadAccountsAsync(connection, [from.Id, to.Id], CancellationToken.None);
            var head = await LedgerWriteStore.LoadChainHeadAsync(connection, "main", CancellationToken.None);
            var forged = TransferPosting.Commit(new TransferDraft(Guid.NewGuid(), "main", TransferKind.Posted, from.Id, to.Id, 999, 0, "EUR",
                Guid.NewGuid(), null, "mallory", DateTimeOffset.UtcNow), accounts.Single(a => a.Account.Id == from.Id), accounts.Single(a => a.Account.Id == to.Id), head);
            var changes = new LedgerChanges();
            changes.Transfers.Add(forged.Transfer);
            await LedgerWriteStore.InsertAsync(connection, changes, CancellationToken.None);
        }

        Assert.True((await ChainVerifier.VerifyAsync(live.Ledger, "main", CancellationToken.None)).IsIntact, "the forged row hashes correctly");
        await using var rebuilt = await TestDatabase.CreateAsync();
        var result = await LedgerRebuilder.RebuildAsync(live.Ledger, rebuilt.Owner, "main", CancellationToken.None);
        Assert.False(result.Identical, "a transfer without an intent went unnoticed");
    }
}
