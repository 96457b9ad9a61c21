using System.Diagnostics;
using Google.Protobuf;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;
using Payments.Ledger.Domain;
using Payments.ServiceDefaults.Telemetry;
using Account = Payments.Ledger.Domain.Account;
using Transfer = Payments.Ledger.Domain.Transfer;
using AccountStatus = Payments.Ledger.Domain.AccountStatus;
using TransferKind = Payments.Ledger.Domain.TransferKind;

namespace Payments.Ledger.Writer;

/// <summary>
/// Applies one batch's intents, in log order, to the books, collecting the rows and outcome events to
/// write. Deterministic: it reads no clock and no randomness, only the events, so replaying the log
/// gives the same ledger and the same hashes.
/// </summary>
internal sealed class IntentApplier(
    string ledger, AccountBook accounts, TransferBook transfers, LedgerChanges changes, ISet<Guid> recordedIntents, ChainHead head)
{
    private const string Source = "ledger";
    private const string SystemPrincipal = "ledger";
    private const string SettlementPrincipal = "settlement";
    private const int BeneficiaryLengthMax = 140;
    private static readonly TimeSpan HoldTimeoutMin = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HoldTimeoutMax = TimeSpan.FromDays(30);

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
            case OpenAccountIntent open: OpenAccount(open); break;
            case AccountStatusIntent status: ChangeStatus(status); break;
            case PaymentIntent payment: Pay(payment); break;
            case CaptureIntent capture: Capture(capture); break;
            case VoidIntent cancel: Void(cancel); break;
            case ReversalIntent reversal: Reverse(reversal); break;
            case SettlementIntent settlement: Settle(settlement); break;
            case ClockTick tick: Expire(tick); break;
            case MalformedIntent malformed: Reject(malformed, malformed.Code, malformed.Principal); break;
        }
    }

    private void OpenAccount(OpenAccountIntent intent)
    {
        var request = intent.Request;
        var account = intent.ToAccount(ledger);
        var code = request.Ledger == ledger ? AccountOpeningValidator.Validate(account) : ResultCode.LedgerUnknown;
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, request.Principal);
            return;
        }

        accounts.Put(AccountState.Opened(account));
        changes.OpenedAccounts.Add(account);
        Emit(intent, new AccountOpened { AccountId = account.Id.ToString(), Ledger = ledger, Currency = account.Currency, Owner = account.Owner });
    }

    private void ChangeStatus(AccountStatusIntent intent)
    {
        var request = intent.Request;
        var account = accounts.Find(intent.AccountId);
        var code = request.Ledger != ledger ? ResultCode.LedgerUnknown
            : account is null || account.Account.Ledger != ledger ? ResultCode.AccountNotFound
            : account.Status == AccountStatus.Closed ? ResultCode.AccountClosed
            : ResultCode.Ok;
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, request.Principal);
            return;
        }

        var status = request.Status switch
        {
            Payments.Contracts.LedgerV1.AccountStatus.Frozen => AccountStatus.Frozen,
            Payments.Contracts.LedgerV1.AccountStatus.Closed => AccountStatus.Closed,
            _ => AccountStatus.Active,
        };
        var after = account! with { Status = status, StatusSequence = account.StatusSequence + 1 };
        accounts.Put(after);
        changes.AccountEvents.Add(new AccountEvent(intent.IntentId, intent.AccountId, after.StatusSequence, ledger, status,
            intent.Envelope.Id, request.Principal, intent.Envelope.Time));
        Emit(intent, new AccountStatusChanged { AccountId = intent.AccountId.ToString(), Ledger = ledger, Status = request.Status });
    }

    private void Pay(PaymentIntent intent)
    {
        var request = intent.Request;
        var payout = request.Kind == PaymentKind.Payout;
        var reserves = request.Kind == PaymentKind.Hold || payout;
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(request.HoldTimeoutMs, 0, (long)HoldTimeoutMax.TotalMilliseconds + 1));
        var command = new TransferCommand(intent.IntentId, request.Ledger, intent.DebitAccountId, intent.CreditAccountId,
            request.AmountMinor, request.Currency);
        var debit = accounts.Find(command.DebitAccountId);
        var credit = accounts.Find(command.CreditAccountId);
        var code = request.Ledger != ledger ? ResultCode.LedgerUnknown
            : reserves && (timeout < HoldTimeoutMin || timeout > HoldTimeoutMax) ? ResultCode.TimeoutInvalid
            : payout && !IsBeneficiary(request.Beneficiary) ? ResultCode.BeneficiaryInvalid
            : TransferValidator.Validate(command, debit, credit);
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, request.Principal);
            return;
        }

        var committed = Commit(intent, Draft(intent, reserves ? TransferKind.Pending : TransferKind.Posted, command.DebitAccountId,
            command.CreditAccountId, command.AmountMinor, command.Currency, request.Principal) with
        {
            ExpiresAt = reserves ? intent.Envelope.Time + timeout : null,
        });
        if (payout)
        {
            Reserve(intent, committed);
        }
    }

    // A payout's reservation is a hold that the settlement rail, not a client, resolves.
    private void Reserve(PaymentIntent intent, Transfer reservation)
    {
        var request = intent.Request;
        transfers.Put(TransferState.Of(reservation) with { IsPayout = true });
        changes.Payouts.Add(new Payout(reservation.Id, ledger, request.Beneficiary, intent.Envelope.Time));
        Emit(intent, new FundsReserved
        {
            PaymentId = reservation.Id.ToString(), Ledger = ledger, DebitAccountId = reservation.DebitAccountId.ToString(),
            CreditAccountId = reservation.CreditAccountId.ToString(), AmountMinor = reservation.AmountMinor,
            Currency = reservation.Currency, Beneficiary = request.Beneficiary, LedgerSequence = reservation.Sequence,
            ExpireTimeUnixMs = reservation.ExpiresAt!.Value.ToUnixTimeMilliseconds(),
        });
    }

    private static bool IsBeneficiary(string beneficiary) =>
        beneficiary.Length is > 0 and <= BeneficiaryLengthMax && !beneficiary.Any(char.IsControl) && !string.IsNullOrWhiteSpace(beneficiary);

    private void Capture(CaptureIntent intent)
    {
        var request = intent.Request;
        var hold = transfers.Find(intent.HoldId);
        var code = request.Ledger != ledger ? ResultCode.LedgerUnknown
            : hold?.IsPayout == true ? ResultCode.HoldIsPayout
            : HoldValidator.ValidatePost(hold, ledger, request.AmountMinor, intent.Envelope.Time,
                accounts.Find(hold?.DebitAccountId ?? Guid.Empty), accounts.Find(hold?.CreditAccountId ?? Guid.Empty));
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, request.Principal);
            return;
        }

        Post(intent, hold!, request.AmountMinor == 0 ? hold!.AmountMinor : request.AmountMinor, request.Principal, intent.IntentId);
    }

    private void Post(Intent intent, TransferState hold, long amount, string principal, Guid subject)
    {
        Commit(intent, Draft(intent, TransferKind.PostPending, hold.DebitAccountId, hold.CreditAccountId, amount, hold.Currency, principal) with
        {
            PendingReleasedMinor = hold.AmountMinor,
            PendingId = hold.Id,
        }, subject);
        transfers.Put(hold with { Resolution = HoldResolution.Posted });
    }

    private void Void(VoidIntent intent)
    {
        var request = intent.Request;
        var hold = transfers.Find(intent.HoldId);
        var code = request.Ledger != ledger ? ResultCode.LedgerUnknown
            : hold?.IsPayout == true ? ResultCode.HoldIsPayout
            : HoldValidator.ValidateVoid(hold, ledger, intent.Envelope.Time);
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, request.Principal);
            return;
        }

        Release(intent, hold!, intent.IntentId, request.Principal, expired: false, subject: intent.IntentId);
    }

    // The rail's result resolves the payout's reservation: the whole amount is posted to the settlement
    // account when the rail paid, and released by compensating entries when it did not. Outcomes are
    // about the payout itself, so whoever follows the payout sees them.
    private void Settle(SettlementIntent intent)
    {
        var reservation = transfers.Find(intent.PayoutId);
        var code = intent.Ledger != ledger ? ResultCode.LedgerUnknown
            : reservation is not { IsPayout: true } ? ResultCode.PayoutNotFound
            : HoldValidator.ValidateSettlement(reservation, ledger, intent.Envelope.Time);
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, SettlementPrincipal);
            return;
        }

        if (intent.Succeeded)
        {
            Post(intent, reservation!, reservation!.AmountMinor, SettlementPrincipal, reservation.Id);
        }
        else
        {
            Release(intent, reservation!, intent.IntentId, SettlementPrincipal, expired: false, subject: reservation!.Id);
        }
    }

    private void Expire(ClockTick tick)
    {
        changes.Ticks.Add(new AppliedTick(tick.Envelope.Id, ledger, tick.Now));
        foreach (var hold in transfers.OpenHoldsExpiredAt(ledger, tick.Now).Take(ClockTick.ReleasesMax))
        {
            Release(tick, hold, IntentIds.Event(hold.Id, "expiry"), SystemPrincipal, expired: true, subject: hold.Id);
        }
    }

    private void Release(Intent intent, TransferState hold, Guid transferId, string principal, bool expired, Guid subject)
    {
        Commit(intent, Draft(intent, TransferKind.VoidPending, hold.DebitAccountId, hold.CreditAccountId, hold.AmountMinor, hold.Currency, principal) with
        {
            Id = transferId,
            PendingId = hold.Id,
            Expired = expired,
        }, subject);
        transfers.Put(hold with { Resolution = expired ? HoldResolution.Expired : HoldResolution.Voided });
    }

    private void Reverse(ReversalIntent intent)
    {
        var request = intent.Request;
        var original = transfers.Find(intent.OriginalId);
        if (original is { IsPayout: true })
        {
            // A client knows a payout by its own id; the money moved with the transfer its settlement posted.
            original = transfers.Find(SettlementIntent.IdFor(original.Id)) ?? original;
        }

        var (code, amount) = request.Ledger != ledger
            ? (ResultCode.LedgerUnknown, 0)
            : ReversalValidator.Validate(original, ledger, request.AmountMinor, intent.IntentId,
                accounts.Find(original?.CreditAccountId ?? Guid.Empty), accounts.Find(original?.DebitAccountId ?? Guid.Empty));
        if (code != ResultCode.Ok)
        {
            Reject(intent, code, request.Principal);
            return;
        }

        Commit(intent, Draft(intent, TransferKind.Reversal, original!.CreditAccountId, original.DebitAccountId, amount, original.Currency, request.Principal) with
        {
            ReversalOfId = original.Id,
        });
        transfers.Put(original with { ReversedMinor = original.ReversedMinor + amount });
    }

    private TransferDraft Draft(Intent intent, TransferKind kind, Guid debit, Guid credit, long amount, string currency, string principal) =>
        new(intent.IntentId, ledger, kind, debit, credit, amount, 0, currency, intent.Envelope.Id, TraceIdOf(intent.Envelope),
            principal, intent.Envelope.Time);

    private Transfer Commit(Intent intent, TransferDraft draft, Guid? subject = null)
    {
        var posted = TransferPosting.Commit(draft, accounts.Find(draft.DebitAccountId)!, accounts.Find(draft.CreditAccountId)!, Head);
        accounts.Put(posted.DebitAfter);
        accounts.Put(posted.CreditAfter);
        transfers.Put(TransferState.Of(posted.Transfer));
        changes.Transfers.Add(posted.Transfer);
        Head = new ChainHead(posted.Transfer.Sequence, posted.Transfer.Hash);
        var about = subject ?? intent.IntentId;
        Emit(intent, new TransferPosted
        {
            PaymentId = about.ToString(), TransferId = draft.Id.ToString(), Ledger = ledger, LedgerSequence = posted.Transfer.Sequence,
            DebitAccountId = draft.DebitAccountId.ToString(), CreditAccountId = draft.CreditAccountId.ToString(),
            AmountMinor = draft.AmountMinor, Currency = draft.Currency, Kind = draft.Kind.ToProto(),
            Hash = Convert.ToHexStringLower(posted.Transfer.Hash), PendingId = draft.PendingId?.ToString() ?? "",
        }, about, draft.Id);
        return posted.Transfer;
    }

    private void Reject(Intent intent, ResultCode code, string principal)
    {
        changes.Rejections.Add(new Rejection(intent.IntentId, intent.Envelope.Id, intent.Envelope.Type, ledger, code,
            principal, TraceIdOf(intent.Envelope), intent.Envelope.Data, intent.Envelope.Time));
        Emit(intent, new IntentRejected { IntentId = intent.IntentId.ToString(), IntentType = intent.Envelope.Type, Ledger = ledger, Code = code });
    }

    // Outcome ids derive from what they are about, and outcome times are the intent's, so a replay
    // emits the same events.
    private void Emit(Intent intent, IMessage outcome, Guid? subject = null, Guid? idSource = null)
    {
        var about = subject ?? intent.IntentId;
        changes.Outcomes.Add(ProtoEvents.Wrap(outcome, IntentIds.Event(idSource ?? about, outcome.Descriptor.FullName),
            Source, about.ToString(), ledger, intent.Envelope.Time, ProtoEvents.CurrentTraceParent() ?? intent.Envelope.TraceParent));
    }

    private static Activity? StartActivity(Intent intent)
    {
        ActivityContext.TryParse(intent.Envelope.TraceParent, null, out var parent);
        var activity = PaymentsActivitySources.Ledger.StartActivity("ledger apply " + intent.Envelope.Type, ActivityKind.Consumer, parent);
        activity?.SetTag("payments.intent_id", intent.IntentId.ToString());
        return activity;
    }

    // The trace id comes from the event itself, not from whether this process samples, so it is stored
    // on every transfer and survives replay.
    private static string? TraceIdOf(EventBus.EventEnvelope envelope) =>
        ActivityContext.TryParse(envelope.TraceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
