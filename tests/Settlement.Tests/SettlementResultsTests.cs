using Payments.Contracts.LedgerV1;
using Payments.Settlement.Saga;

namespace Payments.Settlement.Tests;

public sealed class SettlementResultsTests
{
    private static readonly string Payout = Guid.NewGuid().ToString();

    [Fact]
    public void A_repeated_answer_has_the_same_event_id_so_the_log_drops_it()
    {
        Assert.Equal(Paid().Id, Paid().Id);
        Assert.Equal(Failed(ResultCode.SettlementTimedOut).Id, Failed(ResultCode.SettlementDeclined).Id);
    }

    [Fact]
    public void A_payment_after_a_reported_failure_has_an_id_of_its_own_so_the_log_keeps_it_for_the_audit() =>
        Assert.NotEqual(Failed(ResultCode.SettlementTimedOut).Id, Paid().Id);

    private static EventBus.EventEnvelope Paid() => SettlementResults.Wrap(
        new Contracts.EventsV1.SettlementSucceeded { PaymentId = Payout, Ledger = "main", RailReference = "R-1" }, Payout, "main", DateTimeOffset.UtcNow, null);

    private static EventBus.EventEnvelope Failed(ResultCode code) =>
        SettlementResults.Wrap(SettlementResults.Failed(Payout, "main", "scripted", code, "no answer"), Payout, "main", DateTimeOffset.UtcNow, null);
}
