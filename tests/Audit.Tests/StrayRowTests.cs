using Payments.Contracts.LedgerV1;
using Payments.Ledger.Tests.Writer;

namespace Payments.Audit.Tests;

/// <summary>
/// Rows the chain does not hold that still decide an account's balances or status: an entry or a status
/// change stamped with another ledger's name, or an entry past the head with no transfer behind it.
/// </summary>
public sealed class StrayRowTests
{
    private const string Check = "no-stray-rows";

    [Theory]
    [InlineData("'elsewhere'", "ledger_seq", "is stamped with ledger elsewhere")]
    [InlineData("ledger", "ledger_seq + 1000", "belongs to no transfer of the chain")]
    public async Task An_entry_outside_the_chain_that_raises_a_balance_is_reported(string ledgerName, string ledgerSeq, string problem)
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (account, _) = await OpenAndPayAsync(ledger);
        // The account's next entry, a million richer, under a transfer that does not exist.
        await ledger.TamperAsync($"""
            insert into ledger.entries
            select account_id, account_seq + 1, gen_random_uuid(), {ledgerName}, {ledgerSeq}, 'C', 1000000, currency,
                   debits_posted, credits_posted + 1000000, debits_pending, credits_pending, created_at
            from ledger.entries where account_id = '{account}' order by account_seq desc limit 1
            """);

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, Check);
        var finding = Verdicts.AssertFirstFindingAt(report, Check, $"account {account} #2");
        Assert.Equal("this entry " + problem, finding.Problem);
    }

    [Fact]
    public async Task A_status_change_stamped_with_another_ledger_that_unfreezes_an_account_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (account, _) = await OpenAndPayAsync(ledger);
        await using (LedgerWriterHarness.Start(ledger.Database))
        {
            await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, Intents.SetStatus(account, AccountStatus.Frozen).Event);
        }

        await ledger.TamperAsync($"""
            insert into ledger.account_events
            select gen_random_uuid(), account_id, status_seq + 1, 'elsewhere', 'ACTIVE', gen_random_uuid(), principal, changed_at
            from ledger.account_events where account_id = '{account}'
            """);

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, Check);
        Assert.Equal("this status change is stamped with ledger elsewhere", Verdicts.AssertFirstFindingAt(report, Check, $"account {account} #2").Problem);
    }

    // Two accounts and a payment between them, by the real writer.
    private static async Task<(Guid Credited, Guid Debited)> OpenAndPayAsync(AuditedLedger ledger)
    {
        await using var writer = LedgerWriterHarness.Start(ledger.Database);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, from.Event, to.Event, Intents.Pay(from.Id, to.Id, 100).Event);
        return (to.Id, from.Id);
    }
}
