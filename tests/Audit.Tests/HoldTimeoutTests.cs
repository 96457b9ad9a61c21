using Payments.Ledger.Tests.Writer;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>A hold past its timeout must have been released; one that is still open beyond the grace period is reported.</summary>
public sealed class HoldTimeoutTests
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddHours(-2);

    [Fact]
    public async Task A_hold_still_open_long_after_its_expiry_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var hold = await PlaceHoldAsync(ledger);

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "hold-timeouts");
        var finding = Verdicts.AssertFirstFindingAt(report, "hold-timeouts", $"seq 1 (transfer {hold})");
        Assert.Contains("is still open", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hold_released_by_the_clock_passes()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        await PlaceHoldAsync(ledger);
        await using (LedgerWriterHarness.Start(ledger.Database))
        {
            await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, Intents.Tick(LongAgo.AddMinutes(1)));
        }

        var report = await ledger.AuditAsync();

        Verdicts.AssertPassed(report);
        Assert.Equal(2, report.HeadSequence);
    }

    [Fact]
    public async Task A_hold_within_the_grace_period_is_tolerated()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        await PlaceHoldAsync(ledger);

        var report = await ledger.AuditAsync(holdGrace: TimeSpan.FromDays(1));

        Verdicts.AssertPassed(report);
    }

    // A one-second hold placed two hours ago, with no clock tick since: nothing has released it.
    private static async Task<Guid> PlaceHoldAsync(AuditedLedger ledger)
    {
        await using var writer = LedgerWriterHarness.Start(ledger.Database);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var hold = Intents.Hold(from.Id, to.Id, 500, TimeSpan.FromSeconds(1), at: LongAgo);
        await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, from.Event, to.Event, hold.Event);
        return hold.Id;
    }
}
