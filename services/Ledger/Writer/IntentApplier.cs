using System.Diagnostics;
using Google.Protobuf;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;
using Payments.Ledger.Domain;
using Payments.ServiceDefaults.Telemetry;
using Account = Payments.Ledger.Domain.Account;

namespace Payments.Ledger.Writer;

/// <summary>
/// Applies one batch's intents, in log order, to the account book, collecting the rows and outcome
/// events to write. Deterministic: it reads no clock and no randomness, only the events, so replaying
/// the log gives the same ledger and the same hashes.
/// </summary>
internal sealed class IntentApplier(string ledger, AccountBook book, LedgerChanges changes, ISet<Guid> recordedIntents, ChainHead head)
{
    private const string Source = "ledger";

    /// <summary>The chain head after the intents applied so far.</summary>
    public ChainHead Head { get; private set; } = head;

    /// <summary>Applies <paramref name="intent"/>, unless it already has an outcome.</summary>
    public void Apply(Intent intent)
    {
        // A second delivery, or a re-publish of the same request, must produce no new effect.
        if (!recordedIntents.Add(intent.IntentId))
        {
            return;
        }

        using var activity = StartActivity(intent);
        switch (intent)
        {
            case OpenAccountIntent open:
                OpenAccount(open);
                break;
            case PaymentIntent payment:
                Pay(payment);
                break;
            case MalformedIntent malformed:
                Reject(malformed, malformed.Code, malformed.Principal);
                break;
        }
    }

    private void OpenAccount(OpenAccountIntent intent)
    {
        var request = intent.Request;
        var account = new Account(intent.IntentId, ledger, request.Currency, request.Owner,
            LimitsOf(request.Flags), intent.Envelope.Id, intent.Envelope.Time);
        var code = request.Ledger == ledger ? AccountOpeningValidator.Validate(account) : ResultCode.LedgerUnknown;
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, request.Principal);
            return;
        }

        book.Put(AccountState.Opened(account));
        changes.OpenedAccounts.Add(account);
        Emit(intent, new AccountOpened
        {
            AccountId = account.Id.ToString(), Ledger = ledger, Currency = account.Currency, Owner = account.Owner,
        });
    }

    private void Pay(PaymentIntent intent)
    {
        var request = intent.Request;
        var command = new TransferCommand(intent.IntentId, request.Ledger, intent.DebitAccountId, intent.CreditAccountId,
            request.AmountMinor, request.Currency);
        var debit = book.Find(command.DebitAccountId);
        var credit = book.Find(command.CreditAccountId);
        var code = request.Ledger == ledger ? TransferValidator.Validate(command, debit, credit) : ResultCode.LedgerUnknown;
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, request.Principal);
            return;
        }

        var posted = TransferPosting.Post(command, debit!, credit!, Head, intent.Envelope.Id,
            TraceIdOf(intent.Envelope), request.Principal, intent.Envelope.Time);
        book.Put(posted.DebitAfter);
        book.Put(posted.CreditAfter);
        changes.Transfers.Add(posted.Transfer);
        Head = new ChainHead(posted.Transfer.Sequence, posted.Transfer.Hash);
        Emit(intent, new TransferPosted
        {
            PaymentId = command.Id.ToString(), Ledger = ledger, LedgerSequence = posted.Transfer.Sequence,
            DebitAccountId = command.DebitAccountId.ToString(), CreditAccountId = command.CreditAccountId.ToString(),
            AmountMinor = command.AmountMinor, Currency = command.Currency,
            Hash = Convert.ToHexStringLower(posted.Transfer.Hash),
        });
    }

    private void Reject(Intent intent, ResultCode code, string principal)
    {
        changes.Rejections.Add(new Rejection(intent.IntentId, intent.Envelope.Id, intent.Envelope.Type, ledger, code,
            principal, TraceIdOf(intent.Envelope), intent.Envelope.Data, intent.Envelope.Time));
        Emit(intent, new IntentRejected
        {
            IntentId = intent.IntentId.ToString(), IntentType = intent.Envelope.Type, Ledger = ledger, Code = code,
        });
    }

    // Outcome ids derive from the intent, and outcome times are the intent's, so a replay emits the same events.
    private void Emit(Intent intent, IMessage outcome) =>
        changes.Outcomes.Add(ProtoEvents.Wrap(outcome, IntentIds.Event(intent.IntentId, outcome.Descriptor.FullName),
            Source, intent.IntentId.ToString(), ledger, intent.Envelope.Time,
            ProtoEvents.CurrentTraceParent() ?? intent.Envelope.TraceParent));

    private static Activity? StartActivity(Intent intent)
    {
        ActivityContext.TryParse(intent.Envelope.TraceParent, null, out var parent);
        var activity = PaymentsActivitySources.Ledger.StartActivity("ledger apply " + intent.Envelope.Type, ActivityKind.Consumer, parent);
        activity?.SetTag("payments.intent_id", intent.IntentId.ToString());
        return activity;
    }

    // The trace id comes from the event itself, not from whether this process samples, so it is stored
    // on every transfer and survives replay.
    private static string? TraceIdOf(EventEnvelope envelope) =>
        ActivityContext.TryParse(envelope.TraceParent, null, out var context) ? context.TraceId.ToHexString() : null;

    private static AccountLimits LimitsOf(AccountFlags? flags) =>
        (flags?.DebitsMustNotExceedCredits == true ? AccountLimits.DebitsMustNotExceedCredits : AccountLimits.None)
        | (flags?.CreditsMustNotExceedDebits == true ? AccountLimits.CreditsMustNotExceedDebits : AccountLimits.None);
}
