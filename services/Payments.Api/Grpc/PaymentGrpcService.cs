using Google.Protobuf;
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
/// caller and the request_id, publishes the intent, and reads what the ledger decided. Captures, voids
/// and reversals are payments of their own, with their own request_id, acting on a target payment.
/// </summary>
internal sealed class PaymentGrpcService(
    IEventPublisher publisher, ITopicSignal signal, PaymentReader payments, IOptions<PaymentApiOptions> options)
    : PaymentService.PaymentServiceBase
{
    private const string Source = "payments-api";
    private const long HoldTimeoutMinMs = 1_000;
    private const long HoldTimeoutMaxMs = 30L * 24 * 60 * 60 * 1000;

    /// <inheritdoc />
    public override async Task<CreatePaymentResponse> CreatePayment(CreatePaymentRequest request, ServerCallContext context)
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

        if (request.Hold && request.HoldTimeoutMs is < HoldTimeoutMinMs or > HoldTimeoutMaxMs)
        {
            GrpcErrors.Throw(ResultCode.TimeoutInvalid, "hold_timeout_ms must be between one second and thirty days.");
        }

        var principal = CallerPrincipal.Of(context);
        var paymentId = IntentIds.Payment(principal, requestId);
        var intent = new PaymentRequested
        {
            PaymentId = paymentId.ToString(), RequestId = requestId, Principal = principal, Ledger = options.Value.Ledger,
            DebitAccountId = debit.ToString(), CreditAccountId = credit.ToString(), AmountMinor = request.AmountMinor,
            Currency = RequestGuards.Currency(request.Currency),
            Kind = request.Hold ? PaymentKind.Hold : PaymentKind.Transfer,
            HoldTimeoutMs = request.Hold ? request.HoldTimeoutMs : 0,
        };
        return new CreatePaymentResponse { Payment = await SubmitAsync(paymentId, intent, request.WaitForOutcome, context) };
    }

    /// <inheritdoc />
    public override async Task<CapturePaymentResponse> CapturePayment(CapturePaymentRequest request, ServerCallContext context)
    {
        var (paymentId, principal, requestId) = Operation(request.RequestId, context);
        var hold = RequestGuards.Id(request.PaymentId, "payment_id");
        if (request.AmountMinor < 0)
        {
            GrpcErrors.Throw(ResultCode.AmountMustBePositive, "amount_minor must be positive, or 0 to capture the whole hold.");
        }

        var intent = new HoldCaptureRequested
        {
            PaymentId = paymentId.ToString(), HoldPaymentId = hold.ToString(), AmountMinor = request.AmountMinor,
            Ledger = options.Value.Ledger, RequestId = requestId, Principal = principal,
        };
        return new CapturePaymentResponse { Payment = await SubmitAsync(paymentId, intent, request.WaitForOutcome, context) };
    }

    /// <inheritdoc />
    public override async Task<VoidPaymentResponse> VoidPayment(VoidPaymentRequest request, ServerCallContext context)
    {
        var (paymentId, principal, requestId) = Operation(request.RequestId, context);
        var intent = new HoldVoidRequested
        {
            PaymentId = paymentId.ToString(), HoldPaymentId = RequestGuards.Id(request.PaymentId, "payment_id").ToString(),
            Ledger = options.Value.Ledger, RequestId = requestId, Principal = principal,
        };
        return new VoidPaymentResponse { Payment = await SubmitAsync(paymentId, intent, request.WaitForOutcome, context) };
    }

    /// <inheritdoc />
    public override async Task<ReversePaymentResponse> ReversePayment(ReversePaymentRequest request, ServerCallContext context)
    {
        var (paymentId, principal, requestId) = Operation(request.RequestId, context);
        var original = RequestGuards.Id(request.PaymentId, "payment_id");
        if (request.AmountMinor < 0)
        {
            GrpcErrors.Throw(ResultCode.AmountMustBePositive, "amount_minor must be positive, or 0 to reverse all that remains.");
        }

        var intent = new ReversalRequested
        {
            PaymentId = paymentId.ToString(), OriginalPaymentId = original.ToString(), AmountMinor = request.AmountMinor,
            Ledger = options.Value.Ledger, RequestId = requestId, Principal = principal,
        };
        return new ReversePaymentResponse { Payment = await SubmitAsync(paymentId, intent, request.WaitForOutcome, context) };
    }

    /// <inheritdoc />
    public override async Task<GetPaymentResponse> GetPayment(GetPaymentRequest request, ServerCallContext context)
    {
        var id = RequestGuards.Id(request.PaymentId, "payment_id");
        var payment = await payments.FindAsync(id, context.CancellationToken)
            ?? throw GrpcErrors.For(ResultCode.PaymentNotFound, $"No payment has id {id}.");
        return new GetPaymentResponse { Payment = payment.Payment };
    }

    private static (Guid PaymentId, string Principal, string RequestId) Operation(string requestIdValue, ServerCallContext context)
    {
        var requestId = RequestGuards.RequestId(requestIdValue);
        var principal = CallerPrincipal.Of(context);
        return (IntentIds.Payment(principal, requestId), principal, requestId);
    }

    // Publish, then read back what is recorded rather than echo the request: a retry gets the original
    // payment, and a different payload under a used request_id is refused (AIP-155).
    private async Task<Payment> SubmitAsync(Guid paymentId, IMessage intent, bool wait, ServerCallContext context)
    {
        using (PaymentsActivitySources.Api.StartActivity("publish " + intent.Descriptor.Name))
        {
            var envelope = ProtoEvents.Wrap(intent, IntentIds.Event(paymentId, intent.Descriptor.FullName), Source,
                paymentId.ToString(), options.Value.Ledger, DateTimeOffset.UtcNow, ProtoEvents.CurrentTraceParent());
            await publisher.PublishAsync(EventTopics.Payments, [envelope], context.CancellationToken);
        }

        var payment = await payments.FindAsync(paymentId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Internal, "An accepted payment could not be read back."));
        var conflict = PaymentConflicts.Between(payment.Intent, intent);
        if (conflict != ResultCode.Ok)
        {
            throw GrpcErrors.For(conflict, $"This request_id was used for a different payment: {conflict.Reason()}.",
                new Dictionary<string, string> { ["payment_id"] = paymentId.ToString() });
        }

        if (wait && !payment.IsDecided)
        {
            payment = await WaitForDecisionAsync(paymentId, context) ?? payment;
        }

        if (wait && payment.Status == PaymentStatus.Rejected)
        {
            throw GrpcErrors.For(payment.RejectionCode, $"The ledger refused the payment: {payment.RejectionCode.Reason()}.",
                new Dictionary<string, string> { ["payment_id"] = paymentId.ToString() });
        }

        return payment.Payment;
    }

    // Within the call's deadline; when it runs out, the payment is still ACCEPTED and durable.
    private async Task<PaymentRecord?> WaitForDecisionAsync(Guid paymentId, ServerCallContext context)
    {
        using var activity = PaymentsActivitySources.Api.StartActivity("wait for ledger outcome");
        var budget = CallBudget.Remaining(context, TimeSpan.FromMilliseconds(options.Value.OutcomeWaitMaxMs));
        return await signal.WaitForAsync(EventTopics.Ledger, async ct =>
        {
            var payment = await payments.FindAsync(paymentId, ct);
            return payment is { IsDecided: true } ? payment : null;
        }, budget, context.CancellationToken);
    }
}
