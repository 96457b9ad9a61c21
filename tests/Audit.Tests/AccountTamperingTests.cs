using Payments.Ledger.Tests.Writer;

namespace Payments.Audit.Tests;

/// <summary>
/// Accounts stand outside the hash chain, so a changed account row is caught by comparing it with the
/// opening that named it.
/// </summary>
public sealed class AccountTamperingTests
{
    private const string Check = "accounts-as-opened";

    [Fact]
    public async Task A_no_overdraft_flag_dropped_afterwards_is_reported_with_what_was_promised()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (guarded, other) = await OpenAsync(ledger);
        await ledger.TamperAsync($"update ledger.accounts set debits_must_not_exceed_credits = false where id = '{guarded}'");

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, Check);
        var finding = Verdicts.AssertFirstFindingAt(report, Check, $"account {guarded}");
        Assert.Contains("has balance flags None; its opening asked for DebitsMustNotExceedCredits", finding.Problem, StringComparison.Ordinal);
        Assert.Equal(1, report.Check(Check).ProblemCount);
        Assert.DoesNotContain(report.Check(Check).Findings, f => f.Where.Contains(other.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("currency = 'USD'", "is in USD; its opening asked for EUR")]
    [InlineData("owner = 'mallory'", "belongs to 'mallory'; its opening asked for 'alice'")]
    public async Task A_changed_currency_or_owner_is_reported(string change, string problem)
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (guarded, _) = await OpenAsync(ledger);
        await ledger.TamperAsync($"update ledger.accounts set {change} where id = '{guarded}'");

        var finding = Verdicts.AssertFirstFindingAt(await ledger.AuditAsync(), Check, $"account {guarded}");
        Assert.Equal(problem, finding.Problem);
    }

    [Fact]
    public async Task An_account_pointed_at_an_event_that_opens_no_such_account_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (guarded, other) = await OpenAsync(ledger);
        var payment = Intents.Pay(other, guarded, 10);
        await using (LedgerWriterHarness.Start(ledger.Database))
        {
            await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, payment.Event);
        }

        await ledger.TamperAsync($"""
            update ledger.accounts set opened_by_event = '{payment.Event.Id}', debits_must_not_exceed_credits = false where id = '{guarded}'
            """);

        var finding = Verdicts.AssertFirstFindingAt(await ledger.AuditAsync(), Check, $"account {guarded}");
        Assert.Equal($"was opened by event {payment.Event.Id}, which does not open it", finding.Problem);
    }

    // A no-overdraft account and a plain one, opened by the real writer.
    private static async Task<(Guid Guarded, Guid Other)> OpenAsync(AuditedLedger ledger)
    {
        await using var writer = LedgerWriterHarness.Start(ledger.Database);
        var guarded = Intents.OpenAccount(noOverdraft: true);
        var other = Intents.OpenAccount();
        await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, guarded.Event, other.Event);
        return (guarded.Id, other.Id);
    }
}
