using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Payments.Api.Storage;
using Payments.Contracts;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Telemetry;

namespace Payments.Api.Payments;

/// <summary>
/// The one way intents enter the platform, for a single call and for a batch alike: append them all in
/// one durable write; for an intent the log already held, read back what is recorded (a retry gets the
/// original payment, a different payload under a used request_id is refused, AIP-155); and optionally wait
/// for the ledger's decisions, taken from the outcome events as they are appended.
/// </summary>
internal sealed class PaymentSubmission(
    IEventPublisher publisher, OutcomeTail outcomes, PaymentReader payments, IOptions<PaymentApiOptions> options)
{
    private const string Source = "payments-api";

    // A missed wake-up (the tail restarting, say) costs at most this much before the caller re-reads.
    private static readonly TimeSpan RereadInterval = TimeSpan.FromSeconds(1);

    /// <summary>What became of one submitted intent: the payment, or the error a single call would raise.</summary>
    public sealed record Outcome(Payment? Payment, RpcException? Error);

    /// <summary>Submits <paramref name="intents"/>; outcomes come back in the same order.</summary>
    public async Task<List<Outcome>> SubmitAsync(IReadOnlyList<(Guid Id, IMessage Intent)> intents, bool wait, ServerCallContext context)
    {
        // Times are kept to the microsecond, as the log stores them, so a later read shows the same time.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var envelopes = intents.Select(i => ProtoEvents.Wrap(i.Intent, IntentIds.IntentEvent(i.Id), Source,
            i.Id.ToString(), options.Value.Ledger, now, ProtoEvents.CurrentTraceParent())).ToList();
        IReadOnlySet<Guid>? fresh;
        using (PaymentsActivitySources.Api.StartActivity("publish intents"))
        {
            fresh = await publisher.PublishAsync(EventTopics.Payments, envelopes, context.CancellationToken);
        }

        // A first publish cannot conflict and is simply ACCEPTED; only re-publishes need the log's record.
        // Within a batch that names one request_id twice, the log keeps the first item, so the first is the
        // record and a later one is answered as a retry of it.
        var recorded = new Dictionary<Guid, PaymentRecord>();
        var republished = new List<Guid>();
        for (var i = 0; i < intents.Count; i++)
        {
            if (fresh?.Contains(envelopes[i].Id) == true)
            {
                recorded.TryAdd(intents[i].Id, new PaymentRecord { Intent = intents[i].Intent, Payment = PaymentViews.Accepted(intents[i].Id, intents[i].Intent, now) });
            }
            else
            {
                republished.Add(intents[i].Id);
            }
        }

        await RereadAsync(recorded, republished, context.CancellationToken);
        if (wait)
        {
            await WaitForDecisionsAsync(recorded, context);
        }

        return intents.Select(i => OutcomeOf(i.Id, i.Intent, recorded.GetValueOrDefault(i.Id), wait)).ToList();
    }

    private static Outcome OutcomeOf(Guid id, IMessage intent, PaymentRecord? record, bool waited)
    {
        if (record is null)
        {
            return new Outcome(null, GrpcErrors.For(ResultCode.InternalInconsistency, "An accepted payment could not be read back."));
        }

        var metadata = new Dictionary<string, string> { ["payment_id"] = id.ToString() };
        var conflict = PaymentConflicts.Between(record.Intent, intent);
        if (conflict != ResultCode.Ok)
        {
            return new Outcome(null, GrpcErrors.For(conflict, $"This request_id was used for a different payment: {conflict.Reason()}.", metadata));
        }

        return waited && record.Status == PaymentStatus.Rejected
            ? new Outcome(null, GrpcErrors.For(record.RejectionCode, $"The ledger refused the payment: {record.RejectionCode.Reason()}.", metadata))
            : new Outcome(record.Payment, null);
    }

    // Within the call's deadline; whatever is still undecided then stays ACCEPTED and durable.
    private async Task WaitForDecisionsAsync(Dictionary<Guid, PaymentRecord> recorded, ServerCallContext context)
    {
        using var activity = PaymentsActivitySources.Api.StartActivity("wait for ledger outcomes");
        var deadline = DateTime.UtcNow + CallBudget.Remaining(context, TimeSpan.FromMilliseconds(options.Value.OutcomeWaitMaxMs));
        var wakeUps = Undecided(recorded).ToDictionary(id => id, outcomes.WhenDecided);
        var waits = wakeUps.ToList();
        try
        {
            while (true)
            {
                await TakeDecidedAsync(recorded, wakeUps, context.CancellationToken);
                var remaining = deadline - DateTime.UtcNow;
                if (wakeUps.Count == 0 || remaining <= TimeSpan.Zero)
                {
                    return;
                }

                var interval = Task.Delay(remaining < RereadInterval ? remaining : RereadInterval, context.CancellationToken);
                if (await Task.WhenAny(Task.WhenAny(wakeUps.Values), interval) == interval)
                {
                    // Nothing woke within the interval: the tail may have missed it; ask the ledger. Not at the
                    // deadline, though: a read then could outlast it and turn the promised ACCEPTED answer into
                    // DEADLINE_EXCEEDED, while what is undecided is durable either way.
                    context.CancellationToken.ThrowIfCancellationRequested();
                    if (deadline - DateTime.UtcNow <= TimeSpan.Zero)
                    {
                        return;
                    }

                    await RereadAsync(recorded, wakeUps.Keys.ToList(), context.CancellationToken);
                    foreach (var id in wakeUps.Keys.Where(id => recorded[id].IsDecided).ToList())
                    {
                        wakeUps.Remove(id);
                    }
                }
            }
        }
        finally
        {
            foreach (var (id, wait) in waits)
            {
                outcomes.Forget(id, wait);
            }
        }
    }

    // Applies the outcomes that have arrived. One this view cannot read still means the ledger decided,
    // so that payment is read from the ledger instead.
    private async Task TakeDecidedAsync(
        Dictionary<Guid, PaymentRecord> recorded, Dictionary<Guid, Task<EventEnvelope>> wakeUps, CancellationToken cancellationToken)
    {
        var unreadable = new List<Guid>();
        foreach (var (id, wakeUp) in wakeUps.Where(w => w.Value.IsCompletedSuccessfully).ToList())
        {
            wakeUps.Remove(id);
            if (PaymentViews.TryDecide(recorded[id].Payment, wakeUp.Result, out var decided))
            {
                recorded[id] = recorded[id] with { Payment = decided };
            }
            else
            {
                unreadable.Add(id);
            }
        }

        await RereadAsync(recorded, unreadable, cancellationToken);
    }

    private async Task RereadAsync(Dictionary<Guid, PaymentRecord> recorded, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        foreach (var (id, record) in await payments.FindManyAsync(ids, cancellationToken))
        {
            recorded[id] = record;
        }
    }

    private static List<Guid> Undecided(Dictionary<Guid, PaymentRecord> recorded) =>
        recorded.Where(r => !r.Value.IsDecided).Select(r => r.Key).ToList();
}
