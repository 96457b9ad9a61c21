using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;

namespace Payments.Ledger.Writer;

/// <summary>An event of the intents topic, decoded once, with the id its outcome is recorded under.</summary>
internal abstract record Intent(EventEnvelope Envelope, Guid IntentId)
{
    /// <summary>The accounts whose state the ledger needs to decide this intent.</summary>
    public abstract IEnumerable<Guid> AccountIds { get; }
}

/// <summary>A request to open an account.</summary>
internal sealed record OpenAccountIntent(EventEnvelope Envelope, Guid IntentId, AccountOpeningRequested Request)
    : Intent(Envelope, IntentId)
{
    public override IEnumerable<Guid> AccountIds => [IntentId];
}

/// <summary>A request to move money.</summary>
internal sealed record PaymentIntent(
    EventEnvelope Envelope, Guid IntentId, PaymentRequested Request, Guid DebitAccountId, Guid CreditAccountId)
    : Intent(Envelope, IntentId)
{
    public override IEnumerable<Guid> AccountIds => [DebitAccountId, CreditAccountId];
}

/// <summary>An event that names an intent type but cannot be read as one; it is rejected, not skipped.</summary>
internal sealed record MalformedIntent(EventEnvelope Envelope, Guid IntentId, ResultCode Code, string Principal)
    : Intent(Envelope, IntentId)
{
    public override IEnumerable<Guid> AccountIds => [];
}
