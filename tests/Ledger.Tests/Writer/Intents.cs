using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;

namespace Payments.Ledger.Tests.Writer;

/// <summary>Intent events as the API and the ledger service publish them.</summary>
internal static class Intents
{
    public const string Ledger = "main";

    public static (Guid Id, EventEnvelope Event) OpenAccount(string currency = "EUR", bool noOverdraft = false, string owner = "alice")
    {
        var id = Guid.NewGuid();
        var intent = new AccountOpeningRequested
        {
            AccountId = id.ToString(), Ledger = Ledger, Currency = currency, Owner = owner, RequestId = id.ToString(), Principal = "dev",
            Flags = new AccountFlags { DebitsMustNotExceedCredits = noOverdraft },
        };
        return (id, Wrap(intent, id));
    }

    public static (Guid Id, EventEnvelope Event) Pay(Guid from, Guid to, long amount, string currency = "EUR", string? traceParent = null)
    {
        var id = Guid.NewGuid();
        var intent = new PaymentRequested
        {
            PaymentId = id.ToString(), RequestId = id.ToString(), Principal = "dev", Ledger = Ledger,
            DebitAccountId = from.ToString(), CreditAccountId = to.ToString(), AmountMinor = amount, Currency = currency,
        };
        return (id, Wrap(intent, id, traceParent));
    }

    public static (Guid Id, EventEnvelope Event) Hold(Guid from, Guid to, long amount, TimeSpan timeout, DateTimeOffset? at = null)
    {
        var id = Guid.NewGuid();
        var intent = new PaymentRequested
        {
            PaymentId = id.ToString(), RequestId = id.ToString(), Principal = "dev", Ledger = Ledger,
            DebitAccountId = from.ToString(), CreditAccountId = to.ToString(), AmountMinor = amount, Currency = "EUR",
            Kind = PaymentKind.Hold, HoldTimeoutMs = (long)timeout.TotalMilliseconds,
        };
        return (id, Wrap(intent, id, at: at));
    }

    public static (Guid Id, EventEnvelope Event) Payout(
        Guid from, Guid settlementAccount, long amount, TimeSpan timeout, string beneficiary = "DE89370400440532013000", DateTimeOffset? at = null)
    {
        var id = Guid.NewGuid();
        var intent = new PaymentRequested
        {
            PaymentId = id.ToString(), RequestId = id.ToString(), Principal = "dev", Ledger = Ledger,
            DebitAccountId = from.ToString(), CreditAccountId = settlementAccount.ToString(), AmountMinor = amount, Currency = "EUR",
            Kind = PaymentKind.Payout, HoldTimeoutMs = (long)timeout.TotalMilliseconds, Beneficiary = beneficiary,
        };
        return (id, Wrap(intent, id, at: at));
    }

    /// <summary>A rail's success for <paramref name="payout"/>, as the relay copies it into the intents topic.</summary>
    public static EventEnvelope Settled(Guid payout, DateTimeOffset? at = null) =>
        SettlementResult(new SettlementSucceeded { PaymentId = payout.ToString(), Ledger = Ledger, Rail = "sandbox", RailReference = "SBX-1" }, payout, at);

    /// <summary>A rail's failure for <paramref name="payout"/>, as the relay copies it into the intents topic.</summary>
    public static EventEnvelope SettlementFailed(Guid payout, ResultCode code = ResultCode.SettlementDeclined, DateTimeOffset? at = null) =>
        SettlementResult(new SettlementFailed { PaymentId = payout.ToString(), Ledger = Ledger, Rail = "sandbox", Code = code }, payout, at);

    // Settlement results have ids of their own (not intent-event ids): a success and a failure for the same payout are two events.
    private static EventEnvelope SettlementResult(Google.Protobuf.IMessage result, Guid payout, DateTimeOffset? at) =>
        ProtoEvents.Wrap(result, Guid.NewGuid(), "settlement", payout.ToString(), Ledger, at ?? DateTimeOffset.UtcNow, null);

    public static (Guid Id, EventEnvelope Event) Capture(Guid hold, long amount = 0, DateTimeOffset? at = null)
    {
        var id = Guid.NewGuid();
        var intent = new HoldCaptureRequested
        {
            PaymentId = id.ToString(), HoldPaymentId = hold.ToString(), AmountMinor = amount, Ledger = Ledger, RequestId = id.ToString(), Principal = "dev",
        };
        return (id, Wrap(intent, id, at: at));
    }

    public static (Guid Id, EventEnvelope Event) Void(Guid hold)
    {
        var id = Guid.NewGuid();
        var intent = new HoldVoidRequested { PaymentId = id.ToString(), HoldPaymentId = hold.ToString(), Ledger = Ledger, RequestId = id.ToString(), Principal = "dev" };
        return (id, Wrap(intent, id));
    }

    public static (Guid Id, EventEnvelope Event) Reverse(Guid original, long amount = 0)
    {
        var id = Guid.NewGuid();
        var intent = new ReversalRequested
        {
            PaymentId = id.ToString(), OriginalPaymentId = original.ToString(), AmountMinor = amount, Ledger = Ledger, RequestId = id.ToString(), Principal = "dev",
        };
        return (id, Wrap(intent, id));
    }

    public static (Guid Id, EventEnvelope Event) SetStatus(Guid account, AccountStatus status)
    {
        var id = Guid.NewGuid();
        var intent = new AccountStatusChangeRequested
        {
            ChangeId = id.ToString(), AccountId = account.ToString(), Ledger = Ledger, Status = status, RequestId = id.ToString(), Principal = "dev",
        };
        return (id, Wrap(intent, id));
    }

    /// <summary>A clock tick as the ledger's clock writes it.</summary>
    public static EventEnvelope Tick(DateTimeOffset now) =>
        Wrap(new LedgerClockTicked { Ledger = Ledger, NowUnixMs = now.ToUnixTimeMilliseconds() }, Guid.NewGuid(), at: now);

    private static EventEnvelope Wrap(Google.Protobuf.IMessage intent, Guid subject, string? traceParent = null, DateTimeOffset? at = null) =>
        ProtoEvents.Wrap(intent, IntentIds.IntentEvent(subject), "tests", subject.ToString(), Ledger,
            at ?? DateTimeOffset.UtcNow, traceParent);

    /// <summary>The same intent in a new envelope, as a producer's blind re-publish would send it.</summary>
    public static EventEnvelope Republished(EventEnvelope original) => original with { Id = Guid.NewGuid() };

    public static string Topic => EventTopics.Payments;
}
