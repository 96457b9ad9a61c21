using Payments.Contracts.LedgerV1;
using Payments.EventBus;
using Payments.Ledger.Tests.Writer;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>
/// A payout the rail paid but the ledger released is a break between the bank and the books: money left
/// the platform and the payer has it back. The ledger's first result decides, so only the audit can show it.
/// </summary>
public sealed class PaidPayoutTests
{
    private const string Check = "paid-payouts-posted";
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-10);

    [Fact]
    public async Task A_payout_the_rail_paid_after_settlement_reported_a_timeout_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var payout = await WriteAsync(ledger, payout =>
            [Intents.SettlementFailed(payout, ResultCode.SettlementTimedOut, at: Start), Intents.Settled(payout, at: Start.AddSeconds(1))]);

        await AssertReportedAsync(ledger, payout, "compensated");
    }

    [Fact]
    public async Task A_payout_the_rail_paid_after_its_reservation_expired_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var payout = await WriteAsync(ledger, payout => [Intents.Tick(Start.AddMinutes(2)), Intents.Settled(payout, at: Start.AddMinutes(3))]);

        await AssertReportedAsync(ledger, payout, "released at its expiry");
    }

    [Fact]
    public async Task A_success_for_a_payout_the_ledger_never_reserved_is_reported()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        var unknown = Guid.NewGuid();
        await WriteAsync(ledger, payout => [Intents.SettlementFailed(payout, at: Start), Intents.Settled(unknown, at: Start)]);

        await AssertReportedAsync(ledger, unknown, "rejected as PAYOUT_NOT_FOUND");
    }

    [Fact]
    public async Task Payouts_posted_or_compensated_without_a_payment_pass_even_when_the_rail_repeats_itself()
    {
        await using var ledger = await AuditedLedger.EmptyAsync();
        await WriteAsync(ledger, payout => [Intents.Settled(payout, at: Start), Intents.SettlementFailed(payout, at: Start), Intents.Settled(payout, at: Start)]);
        await WriteAsync(ledger, payout => [Intents.SettlementFailed(payout, at: Start), Intents.SettlementFailed(payout, at: Start)]);

        Verdicts.AssertPassed(await ledger.AuditAsync());
    }

    // The success is the log's fifth event in every case here: two openings, the payout, one event before it.
    private static async Task AssertReportedAsync(AuditedLedger ledger, Guid payout, string resolution)
    {
        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, Check);
        var finding = Verdicts.AssertFirstFindingAt(report, Check, $"payout {payout} (log offset 5)");
        Assert.Contains(resolution, finding.Problem, StringComparison.Ordinal);
    }

    // Two accounts, a payout of 500 from one to the other with a one-minute reservation, then what
    // follows for it; returns the payout's id.
    private static async Task<Guid> WriteAsync(AuditedLedger ledger, Func<Guid, EventEnvelope[]> then)
    {
        var customer = Intents.OpenAccount();
        var settlement = Intents.OpenAccount(owner: "settlement");
        var payout = Intents.Payout(customer.Id, settlement.Id, 500, TimeSpan.FromMinutes(1), at: Start);
        await using (LedgerWriterHarness.Start(ledger.Database))
        {
            await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, [customer.Event, settlement.Event, payout.Event, .. then(payout.Id)]);
        }

        return payout.Id;
    }
}
