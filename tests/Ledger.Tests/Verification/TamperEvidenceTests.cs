using Payments.Ledger.Verification;
using Payments.Testing;

namespace Payments.Ledger.Tests.Verification;

/// <summary>
/// An attacker with superuser rights disables the append-only triggers and rewrites history. The chain
/// recomputation must notice, and name the first sequence that no longer verifies.
/// </summary>
public sealed class TamperEvidenceTests
{
    private const int Transfers = 12;

    [Fact]
    public async Task An_untouched_ledger_verifies()
    {
        await using var database = await LedgerWithTransfersAsync();
        var result = await ChainVerifier.VerifyAsync(database.Ledger, "main", CancellationToken.None);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(Transfers, result.TransfersVerified);
    }

    [Fact]
    public async Task A_changed_amount_is_caught_at_its_sequence() =>
        await AssertBrokenAtAsync(5, """
            update ledger.transfers set amount_minor = amount_minor + 1 where seq = 5;
            update ledger.entries set amount_minor = amount_minor + 1 where ledger_seq = 5;
            """);

    [Fact]
    public async Task A_changed_running_balance_is_caught_at_its_sequence() =>
        await AssertBrokenAtAsync(3, "update ledger.entries set credits_posted = credits_posted + 1000 where ledger_seq = 3 and direction = 'C'");

    [Fact]
    public async Task A_deleted_transfer_is_caught_at_its_sequence() =>
        await AssertBrokenAtAsync(7, """
            delete from ledger.entries where ledger_seq = 7;
            delete from ledger.transfers where seq = 7;
            """);

    [Fact]
    public async Task A_deleted_entry_is_caught_at_its_sequence() =>
        await AssertBrokenAtAsync(9, "delete from ledger.entries where ledger_seq = 9 and direction = 'D'");

    [Fact]
    public async Task Reordered_transfers_are_caught_where_the_order_changes() =>
        await AssertBrokenAtAsync(4, """
            update ledger.transfers set seq = 1000000 where seq = 4;
            update ledger.transfers set seq = 4 where seq = 5;
            update ledger.transfers set seq = 5 where seq = 1000000;
            """);

    [Fact]
    public async Task A_forged_hash_does_not_hide_a_change() =>
        await AssertBrokenAtAsync(6, """
            update ledger.transfers set amount_minor = 1, hash = sha256(hash) where seq = 6;
            """);

    private static async Task AssertBrokenAtAsync(long sequence, string tampering)
    {
        await using var database = await LedgerWithTransfersAsync();
        await database.Superuser.ExecuteAsync($"""
            set session_replication_role = replica;
            {tampering}
            """);

        var result = await ChainVerifier.VerifyAsync(database.Ledger, "main", CancellationToken.None);

        Assert.False(result.IsIntact, "tampering went unnoticed");
        Assert.Equal(sequence, result.FirstBadSequence);
        Assert.Equal(sequence - 1, result.HeadSequence);
    }

    private static async Task<TestDatabase> LedgerWithTransfersAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await using var writer = Writer.LedgerWriterHarness.Start(database);
        var from = Writer.Intents.OpenAccount();
        var to = Writer.Intents.OpenAccount();
        var events = new List<Payments.EventBus.EventEnvelope> { from.Event, to.Event };
        events.AddRange(Enumerable.Range(1, Transfers).Select(i => Writer.Intents.Pay(from.Id, to.Id, i * 100).Event));
        await Writer.LedgerWriterHarness.PublishAndWaitAsync(database, [.. events]);
        return database;
    }
}
