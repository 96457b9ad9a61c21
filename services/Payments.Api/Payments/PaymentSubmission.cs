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
/// one durable write, read back what is recorded (a retry gets the original payment, a different payload
/// under a used request_id is refused, AIP-155), and optionally wait for the ledger's decisions.
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
        using (PaymentsActivitySources.Api.StartActivity("publish intents"))
        {
            var envelopes = intents.Select(i => ProtoEvents.Wrap(i.Intent, IntentIds.Event(i.Id, i.Intent.Descriptor.FullName), Source,
                i.Id.ToString(), options.Value.Ledger, DateTimeOffset.UtcNow, ProtoEvents.CurrentTraceParent())).ToList();
            await publisher.PublishAsync(EventTopics.Payments, envelopes, context.CancellationToken);
        }

        var recorded = await payments.FindManyAsync(intents.Select(i => i.Id).ToList(), context.CancellationToken);
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
        var undecided = Undecided(recorded);
        var wakeUps = undecided.Select(outcomes.WhenDecided).ToList();
        try
        {
            while (true)
            {
                // Registered first, read second: an outcome committed in between is seen by one or the other.
                await RereadAsync(recorded, undecided, context.CancellationToken);
                undecided = Undecided(recorded);
                var remaining = deadline - DateTime.UtcNow;
                if (undecided.Count == 0 || remaining <= TimeSpan.Zero)
                {
                    return;
                }

                await Task.WhenAny(Task.WhenAll(wakeUps), Task.Delay(remaining < RereadInterval ? remaining : RereadInterval, context.CancellationToken));
                context.CancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            foreach (var id in recorded.Keys)
            {
                outcomes.Forget(id);
            }
        }
    }

    private async Task RereadAsync(Dictionary<Guid, PaymentRecord> recorded, List<Guid> ids, CancellationToken cancellationToken)
    {
        foreach (var (id, record) in await payments.FindManyAsync(ids, cancellationToken))
        {
            recorded[id] = record;
        }
    }

    private static List<Guid> Undecided(Dictionary<Guid, PaymentRecord> recorded) =>
        recorded.Where(r => !r.Value.IsDecided).Select(r => r.Key).ToList();
}
