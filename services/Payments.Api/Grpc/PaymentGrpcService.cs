using Grpc.Core;
using Microsoft.Extensions.Options;
using Payments.Api.Payments;
using Payments.Api.Storage;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Security;
using Payments.ServiceDefaults.Telemetry;

namespace Payments.Api.Grpc;

/// <summary>
/// payments.v1.PaymentService. Stateless: checks what needs no state, derives the payment id from the
/// caller and the request_id, publishes the intent, and reads what the ledger decided.
/// </summary>
internal sealed class PaymentGrpcService(
    IEventPublisher publisher, ITopicSignal signal, PaymentReader payments, IOptions<PaymentApiOptions> options)
    : PaymentService.PaymentServiceBase
{
    private const string Source = "payments-api";

    /// <inheritdoc />
    public override async Task<CreatePaymentResponse> CreatePayment(CreatePaymentRequest request, ServerCallContext context)
    {
        var intent = ValidatedIntent(request, CallerPrincipal.Of(context));
        var paymentId = Guid.Parse(intent.PaymentId);
        using (PaymentsActivitySources.Api.StartActivity("publish PaymentRequested"))
        {
            var envelope = ProtoEvents.Wrap(intent, IntentIds.Event(paymentId, PaymentRequested.Descriptor.FullName), Source,
                intent.PaymentId, intent.Ledger, DateTimeOffset.UtcNow, ProtoEvents.CurrentTraceParent());
            await publisher.PublishAsync(EventTopics.Payments, [envelope], context.CancellationToken);
        }

        // Read back what is recorded rather than echo the request: a retry gets the original payment,
        // and a different payload under a used request_id is refused (AIP-155).
        var payment = await payments.FindAsync(paymentId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Internal, "An accepted payment could not be read back."));
        var conflict = PaymentConflicts.Between(payment.Intent, intent);
        if (conflict != ResultCode.Ok)
        {
            throw GrpcErrors.For(conflict, $"request_id '{intent.RequestId}' was used for a different payment: {conflict.Reason()}.",
                new Dictionary<string, string> { ["payment_id"] = intent.PaymentId });
        }

        if (request.WaitForOutcome && !payment.IsDecided)
        {
            payment = await WaitForDecisionAsync(paymentId, context) ?? payment;
        }

        if (request.WaitForOutcome && payment.Status == PaymentStatus.Rejected)
        {
            throw GrpcErrors.For(payment.RejectionCode, $"The ledger refused the payment: {payment.RejectionCode.Reason()}.",
                new Dictionary<string, string> { ["payment_id"] = intent.PaymentId });
        }

        return new CreatePaymentResponse { Payment = payment.ToProto() };
    }

    /// <inheritdoc />
    public override async Task<GetPaymentResponse> GetPayment(GetPaymentRequest request, ServerCallContext context)
    {
        var id = RequestGuards.Id(request.PaymentId, "payment_id");
        var payment = await payments.FindAsync(id, context.CancellationToken)
            ?? throw GrpcErrors.For(ResultCode.PaymentNotFound, $"No payment has id {id}.");
        return new GetPaymentResponse { Payment = payment.ToProto() };
    }

    private PaymentRequested ValidatedIntent(CreatePaymentRequest request, string principal)
    {
        var requestId = RequestGuards.RequestId(request.RequestId);
        var debit = RequestGuards.Id(request.DebitAccountId, "debit_account_id");
        var credit = RequestGuards.Id(request.CreditAccountId, "credit_account_id");
        if (request.AmountMinor <= 0)
        {
            GrpcErrors.Throw(ResultCode.AmountMustBePositive, "amount_minor must be positive.");
        }

        if (debit == credit)
        {
            GrpcErrors.Throw(ResultCode.AccountsMustBeDifferent, "debit_account_id and credit_account_id must differ.");
        }

        return new PaymentRequested
        {
            PaymentId = IntentIds.Payment(principal, requestId).ToString(),
            RequestId = requestId,
            Principal = principal,
            Ledger = options.Value.Ledger,
            DebitAccountId = debit.ToString(),
            CreditAccountId = credit.ToString(),
            AmountMinor = request.AmountMinor,
            Currency = RequestGuards.Currency(request.Currency),
        };
    }

    // Within the call's deadline; when it runs out, the payment is still ACCEPTED and durable.
    private async Task<PaymentRecord?> WaitForDecisionAsync(Guid paymentId, ServerCallContext context)
    {
        using var activity = PaymentsActivitySources.Api.StartActivity("wait for ledger outcome");
        var budget = CallBudget.Remaining(context, TimeSpan.FromMilliseconds(options.Value.OutcomeWaitMaxMs));
        var decided = await signal.WaitForAsync(EventTopics.Ledger, async ct =>
        {
            var payment = await payments.FindAsync(paymentId, ct);
            return payment is { IsDecided: true } ? payment : null;
        }, budget, context.CancellationToken);
        return decided ?? await payments.FindAsync(paymentId, context.CancellationToken);
    }
}
