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

    private static EventEnvelope Wrap(Google.Protobuf.IMessage intent, Guid subject, string? traceParent = null) =>
        ProtoEvents.Wrap(intent, IntentIds.Event(subject, intent.Descriptor.FullName), "tests", subject.ToString(), Ledger,
            DateTimeOffset.UtcNow, traceParent);

    /// <summary>The same intent in a new envelope, as a producer's blind re-publish would send it.</summary>
    public static EventEnvelope Republished(EventEnvelope original) => original with { Id = Guid.NewGuid() };

    public static string Topic => EventTopics.Payments;
}
