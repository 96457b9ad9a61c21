using Payments.Ledger.Domain;
using Payments.Ledger.Tests.Writer;

namespace Payments.Audit.Tests;

/// <summary>
/// A reversal forged with correct running balances and a correct hash: the balances sum and the chain
/// verifies, so only the transfer it claims to reverse can betray it.
/// </summary>
public sealed class ReversalTests
{
    private const string Check = "reversals-within-originals";

    [Fact]
    public async Task Reversals_that_together_return_more_than_the_original_moved_are_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (from, to, original) = await PaidAndPartlyReversedAsync(ledger, 500, reversed: 300);
        await Attacker.InsertWellFormedTransferAsync(ledger.Database, to, from, 300,
            shape: draft => draft with { Kind = TransferKind.Reversal, ReversalOfId = original });

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, Check, "outcomes-have-intents");
        var finding = Verdicts.AssertFirstFindingAt(report, Check, "seq ");
        Assert.Contains($"2 reversal(s) of transfer {original}", finding.Where, StringComparison.Ordinal);
        Assert.Contains("returns 600 in all, of a transfer that moved 500", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reversal_that_pays_someone_else_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (from, _, original) = await PaidAndPartlyReversedAsync(ledger, 500, reversed: 0);
        var stranger = await OpenAccountAsync(ledger);
        var (_, sequence) = await Attacker.InsertWellFormedTransferAsync(ledger.Database, from, stranger, 200,
            shape: draft => draft with { Kind = TransferKind.Reversal, ReversalOfId = original });

        var finding = Verdicts.AssertFirstFindingAt(await ledger.AuditAsync(), Check, $"seq {sequence} ");
        Assert.Contains("does not move the money back", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reversal_of_a_hold_or_of_nothing_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (from, to, _) = await PaidAndPartlyReversedAsync(ledger, 500, reversed: 0);
        var (hold, _) = await Attacker.InsertWellFormedTransferAsync(ledger.Database, from, to, 100,
            shape: draft => draft with { Kind = TransferKind.Pending, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) });
        var (_, ofHold) = await Attacker.InsertWellFormedTransferAsync(ledger.Database, to, from, 100,
            shape: draft => draft with { Kind = TransferKind.Reversal, ReversalOfId = hold });
        var (_, ofNothing) = await Attacker.InsertWellFormedTransferAsync(ledger.Database, to, from, 100,
            shape: draft => draft with { Kind = TransferKind.Reversal, ReversalOfId = Guid.NewGuid() });

        var report = await ledger.AuditAsync();

        Assert.Contains("cannot be reversed", Verdicts.AssertFirstFindingAt(report, Check, $"seq {ofHold} ").Problem, StringComparison.Ordinal);
        var second = report.Check(Check).Findings[1];
        Assert.StartsWith($"seq {ofNothing} ", second.Where, StringComparison.Ordinal);
        Assert.Contains("does not exist", second.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reversal_that_names_nothing_is_reported_even_with_the_tables_check_dropped()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (from, to, _) = await PaidAndPartlyReversedAsync(ledger, 500, reversed: 0);
        await ledger.TamperAsync("""
            do $$ declare c text; begin
              for c in select conname from pg_constraint where conrelid = 'ledger.transfers'::regclass and contype = 'c'
                       and pg_get_constraintdef(oid) like '%reversal_of%' loop
                execute format('alter table ledger.transfers drop constraint %I', c);
              end loop;
            end $$;
            """);
        var (_, sequence) = await Attacker.InsertWellFormedTransferAsync(ledger.Database, to, from, 100,
            shape: draft => draft with { Kind = TransferKind.Reversal, ReversalOfId = null });

        var finding = Verdicts.AssertFirstFindingAt(await ledger.AuditAsync(), Check, $"seq {sequence} ");
        Assert.Contains("names no transfer", finding.Problem, StringComparison.Ordinal);
    }

    // A payment of `amount` between two fresh accounts, and a reversal of `reversed` of it, by the real writer.
    private static async Task<(Guid From, Guid To, Guid Payment)> PaidAndPartlyReversedAsync(AuditedLedger ledger, long amount, long reversed)
    {
        await using var writer = LedgerWriterHarness.Start(ledger.Database);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var payment = Intents.Pay(from.Id, to.Id, amount);
        List<Payments.EventBus.EventEnvelope> events = [from.Event, to.Event, payment.Event];
        if (reversed > 0)
        {
            events.Add(Intents.Reverse(payment.Id, reversed).Event);
        }

        await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, [.. events]);
        return (from.Id, to.Id, payment.Id);
    }

    private static async Task<Guid> OpenAccountAsync(AuditedLedger ledger)
    {
        await using var writer = LedgerWriterHarness.Start(ledger.Database);
        var account = Intents.OpenAccount(owner: "stranger");
        await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, account.Event);
        return account.Id;
    }
}
