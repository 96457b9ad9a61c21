using Payments.Ledger.Domain;
using Payments.Ledger.Tests.Writer;

namespace Payments.Audit.Tests;

/// <summary>
/// A capture or void forged with correct running balances and a correct hash: the balances sum, the chain
/// verifies, so only the hold it claims to resolve can betray it.
/// </summary>
public sealed class HoldResolutionTests
{
    [Fact]
    public async Task A_capture_of_more_than_its_hold_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (from, to, hold) = await HoldAsync(ledger, 500);
        var (_, sequence) = await Attacker.InsertWellFormedTransferAsync(ledger.Database, from, to, 900,
            shape: draft => draft with { Kind = TransferKind.PostPending, PendingReleasedMinor = 500, PendingId = hold });

        var finding = Verdicts.AssertFirstFindingAt(await ledger.AuditAsync(), "running-balances", $"seq {sequence} ");
        Assert.Contains("which holds only 500", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_of_a_hold_that_never_was_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var (from, to, _) = await HoldAsync(ledger, 500);
        var (_, sequence) = await Attacker.InsertWellFormedTransferAsync(ledger.Database, from, to, 500,
            shape: draft => draft with { Kind = TransferKind.VoidPending, PendingReleasedMinor = 500, PendingId = Guid.NewGuid() });

        var finding = Verdicts.AssertFirstFindingAt(await ledger.AuditAsync(), "running-balances", $"seq {sequence} ");
        Assert.Contains("not an earlier, unresolved hold", finding.Problem, StringComparison.Ordinal);
    }

    // Two accounts and a hold of `amount` between them, by the real writer.
    private static async Task<(Guid From, Guid To, Guid Hold)> HoldAsync(AuditedLedger ledger, long amount)
    {
        await using var writer = LedgerWriterHarness.Start(ledger.Database);
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        var hold = Intents.Hold(from.Id, to.Id, amount, TimeSpan.FromDays(1));
        await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, from.Event, to.Event, hold.Event);
        return (from.Id, to.Id, hold.Id);
    }
}
