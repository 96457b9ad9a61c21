using Google.Protobuf;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;
using Payments.Settlement.Rails;

namespace Payments.Settlement.Saga;

/// <summary>The events Settlement emits about a payout, with ids that make every repeat a no-op.</summary>
internal static class SettlementResults
{
    private const string Source = "settlement";

    /// <summary>The metadata key under which a payout's ledger travels through the rail and back.</summary>
    public const string LedgerKey = "ledger";

    /// <summary>SettlementSucceeded or SettlementFailed for the rail's <paramref name="answer"/>.</summary>
    public static IMessage From(RailPayout payout, RailAnswer answer, string rail) => answer.Paid
        ? new SettlementSucceeded { PaymentId = payout.Reference, Ledger = LedgerOf(payout), Rail = rail, RailReference = answer.Reference }
        : Failed(payout.Reference, LedgerOf(payout), rail, ResultCode.SettlementDeclined, answer.Detail);

    /// <summary>A failure that ends the payout: the ledger releases its reservation.</summary>
    public static SettlementFailed Failed(string paymentId, string ledger, string rail, ResultCode code, string detail) =>
        new() { PaymentId = paymentId, Ledger = ledger, Rail = rail, Code = code, Detail = detail };

    /// <summary>
    /// The envelope of a result. Its id depends on the payout and on whether the rail paid: a repeat of
    /// the same answer (a retry after a crash, a duplicate callback) is dropped by the log, but the rail
    /// paying after Settlement reported a failure is not. The ledger's first result still decides; the
    /// later success stays in the log, where the audit finds the payout the rail paid and the ledger
    /// compensated (its check <c>paid-payouts-posted</c>).
    /// </summary>
    /// <param name="decidedAt">When the result was decided: the ledger judges a success against the reservation's expiry by it.</param>
    public static EventEnvelope Wrap(IMessage result, string paymentId, string ledger, DateTimeOffset decidedAt, string? traceParent) =>
        ProtoEvents.Wrap(result, IntentIds.Event(Guid.Parse(paymentId), result is SettlementSucceeded ? "settlement-paid" : "settlement-result"),
            Source, paymentId, ledger, DateTimeOffset.FromUnixTimeMilliseconds(decidedAt.ToUnixTimeMilliseconds()), traceParent);

    private static string LedgerOf(RailPayout payout) => payout.Metadata.GetValueOrDefault(LedgerKey, string.Empty);
}
