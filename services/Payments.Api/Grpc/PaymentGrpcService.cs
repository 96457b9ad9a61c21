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

namespace Payments.Api.Grpc;

/// <summary>
/// payments.v1.PaymentService. Stateless: checks what needs no state, derives the payment id from the
/// caller and the request_id, publishes the intent, and reads what the ledger decided. Captures, voids
/// and reversals are payments of their own, with their own request_id, acting on a target payment.
/// </summary>
internal sealed class PaymentGrpcService(
    PaymentSubmission submission, PaymentReader payments, PaymentWatcher watcher, WatchLimits watches, PaymentAccess access,
    IOptions<PaymentApiOptions> options)
    : PaymentService.PaymentServiceBase
{
    private const int BatchSizeMax = 1000;
    private const long HoldTimeoutMinMs = 1_000;
    private const long HoldTimeoutMaxMs = 30L * 24 * 60 * 60 * 1000;
    private const long PayoutTimeoutDefaultMs = 15 * 60 * 1000;
    private const int BeneficiaryLengthMax = 140;

    /// <inheritdoc />
    public override async Task<CreatePaymentResponse> CreatePayment(CreatePaymentRequest request, ServerCallContext context)
    {
        var (paymentId, intent) = PaymentIntent(request, CallerPrincipal.Of(context));
        if ((await access.PaymentRefusalsAsync(context, [intent]))[0] is { } refusal && !await IsRetryAsync(paymentId, context))
        {
            throw refusal;
        }

        return new CreatePaymentResponse { Payment = await SubmitOneAsync(paymentId, intent, request.WaitForOutcome, context) };
    }

    /// <inheritdoc />
    public override async Task<CreatePaymentsResponse> CreatePayments(CreatePaymentsRequest request, ServerCallContext context)
    {
        if (request.Requests.Count is 0 or > BatchSizeMax)
        {
            GrpcErrors.Throw(ResultCode.BatchSizeInvalid, $"A batch holds 1 to {BatchSizeMax} payments.");
        }

        // Each item is checked on its own; the valid ones share one append.
        var principal = CallerPrincipal.Of(context);
        var checkedItems = request.Requests.Select(item => Check(() => PaymentIntent(item, principal))).ToList();
        checkedItems = await RefuseCertainRefusalsAsync(checkedItems, context);
        var valid = checkedItems.Where(c => c.Error is null).Select(c => c.Intent!.Value).ToList();
        var outcomes = valid.Count == 0 ? [] : await submission.SubmitAsync(valid, request.WaitForOutcome, context);

        var response = new CreatePaymentsResponse();
        var next = 0;
        foreach (var item in checkedItems)
        {
            var outcome = item.Error is null ? outcomes[next++] : new PaymentSubmission.Outcome(null, item.Error);
            response.Results.Add(outcome.Error is null
                ? new CreatePaymentResult { Payment = outcome.Payment }
                : new CreatePaymentResult { Error = ErrorOf(outcome.Error) });
        }

        return response;
    }

    /// <inheritdoc />
    public override async Task<ListPaymentsResponse> ListPayments(ListPaymentsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var principal = CallerPrincipal.Of(context);
        var scope = "payments:" + principal;
        var page = await payments.ListAsync(principal, Paging.After(request.PageToken, scope), pageSize + 1, context.CancellationToken);
        var response = new ListPaymentsResponse { Payments = { page.Take(pageSize).Select(p => p.Payment) } };
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(scope, page[pageSize - 1].LogSequence);
        }

        return response;
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

        await UnlessRetryAsync(paymentId, access.EnsureMayReleaseAsync(context, hold), context);

        var intent = new HoldCaptureRequested
        {
            PaymentId = paymentId.ToString(), HoldPaymentId = hold.ToString(), AmountMinor = request.AmountMinor,
            Ledger = options.Value.Ledger, RequestId = requestId, Principal = principal,
        };
        return new CapturePaymentResponse { Payment = await SubmitOneAsync(paymentId, intent, request.WaitForOutcome, context) };
    }

    /// <inheritdoc />
    public override async Task<VoidPaymentResponse> VoidPayment(VoidPaymentRequest request, ServerCallContext context)
    {
        var (paymentId, principal, requestId) = Operation(request.RequestId, context);
        var hold = RequestGuards.Id(request.PaymentId, "payment_id");
        await UnlessRetryAsync(paymentId, access.EnsureMayReleaseAsync(context, hold), context);
        var intent = new HoldVoidRequested
        {
            PaymentId = paymentId.ToString(), HoldPaymentId = hold.ToString(),
            Ledger = options.Value.Ledger, RequestId = requestId, Principal = principal,
        };
        return new VoidPaymentResponse { Payment = await SubmitOneAsync(paymentId, intent, request.WaitForOutcome, context) };
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

        await UnlessRetryAsync(paymentId, access.EnsureMayReverseAsync(context, original), context);

        var intent = new ReversalRequested
        {
            PaymentId = paymentId.ToString(), OriginalPaymentId = original.ToString(), AmountMinor = request.AmountMinor,
            Ledger = options.Value.Ledger, RequestId = requestId, Principal = principal,
        };
        return new ReversePaymentResponse { Payment = await SubmitOneAsync(paymentId, intent, request.WaitForOutcome, context) };
    }

    // AIP-155: a retry is answered as the original, or ALREADY_EXISTS naming what differs, even where the
    // checks of a new request would refuse it (a debit account swapped for one the caller does not own, a
    // target that changed since). The id derives from the caller's own principal and request id, so this
    // tells it nothing it did not know, and a retry writes nothing: the log keeps the first intent.
    private async Task<bool> IsRetryAsync(Guid paymentId, ServerCallContext context) =>
        await payments.FindAsync(paymentId, context.CancellationToken) is not null;

    private async Task UnlessRetryAsync(Guid paymentId, Task check, ServerCallContext context)
    {
        try
        {
            await check;
        }
        catch (RpcException) when (!context.CancellationToken.IsCancellationRequested)
        {
            if (!await IsRetryAsync(paymentId, context))
            {
                throw;
            }
        }
    }

    /// <inheritdoc />
    public override async Task WatchPayment(WatchPaymentRequest request, IServerStreamWriter<WatchPaymentResponse> responseStream, ServerCallContext context)
    {
        var id = RequestGuards.Id(request.PaymentId, "payment_id");
        await access.EnsureMayReadAsync(context, id);
        using var watch = watches.Open(CallerPrincipal.Of(context));
        await foreach (var payment in watcher.WatchAsync(id, TimeSpan.FromSeconds(options.Value.WatchDurationMaxSeconds), context.CancellationToken))
        {
            await responseStream.WriteAsync(new WatchPaymentResponse { Payment = payment }, context.CancellationToken);
        }
    }

    /// <inheritdoc />
    public override async Task<GetPaymentResponse> GetPayment(GetPaymentRequest request, ServerCallContext context)
    {
        var id = RequestGuards.Id(request.PaymentId, "payment_id");
        var payment = await payments.FindAsync(id, context.CancellationToken)
            ?? throw PaymentAccess.PaymentNotFound(id);
        PaymentAccess.EnsureMayRead(context, payment);
        return new GetPaymentResponse { Payment = payment.Payment };
    }

    private static (Guid PaymentId, string Principal, string RequestId) Operation(string requestIdValue, ServerCallContext context)
    {
        var requestId = RequestGuards.RequestId(requestIdValue);
        var principal = CallerPrincipal.Of(context);
        return (IntentIds.Payment(principal, requestId), principal, requestId);
    }

    private (Guid PaymentId, PaymentRequested Intent) PaymentIntent(CreatePaymentRequest request, string principal)
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

        var payout = request.PayoutBeneficiary.Length > 0;
        if (payout && (request.Hold || request.PayoutBeneficiary.Length > BeneficiaryLengthMax
                       || string.IsNullOrWhiteSpace(request.PayoutBeneficiary) || !PrintableText.Is(request.PayoutBeneficiary)))
        {
            GrpcErrors.Throw(ResultCode.BeneficiaryInvalid,
                $"payout_beneficiary must be 1 to {BeneficiaryLengthMax} printable characters, and a payout cannot also be a hold.");
        }

        var timeoutMs = payout && request.HoldTimeoutMs == 0 ? PayoutTimeoutDefaultMs : request.HoldTimeoutMs;
        if ((request.Hold || payout) && timeoutMs is < HoldTimeoutMinMs or > HoldTimeoutMaxMs)
        {
            GrpcErrors.Throw(ResultCode.TimeoutInvalid, "hold_timeout_ms must be between one second and thirty days.");
        }

        // Dropped silently, it would also make a retry with another timeout count as the same request.
        if (!request.Hold && !payout && request.HoldTimeoutMs != 0)
        {
            GrpcErrors.Throw(ResultCode.TimeoutInvalid, "hold_timeout_ms applies only to holds and payouts; leave it 0 for a transfer.");
        }

        var paymentId = IntentIds.Payment(principal, requestId);
        return (paymentId, new PaymentRequested
        {
            PaymentId = paymentId.ToString(), RequestId = requestId, Principal = principal, Ledger = options.Value.Ledger,
            DebitAccountId = debit.ToString(), CreditAccountId = credit.ToString(), AmountMinor = request.AmountMinor,
            Currency = RequestGuards.Currency(request.Currency),
            Kind = payout ? PaymentKind.Payout : request.Hold ? PaymentKind.Hold : PaymentKind.Transfer,
            HoldTimeoutMs = request.Hold || payout ? timeoutMs : 0,
            Beneficiary = request.PayoutBeneficiary,
        });
    }

    private async Task<Payment> SubmitOneAsync(Guid paymentId, IMessage intent, bool wait, ServerCallContext context)
    {
        var outcome = (await submission.SubmitAsync([(paymentId, intent)], wait, context))[0];
        return outcome.Payment ?? throw outcome.Error!;
    }

    // Ownership is checked for the whole batch in one query; a refused item becomes an error result and is not written.
    private async Task<List<(RpcException? Error, (Guid, IMessage)? Intent)>> RefuseCertainRefusalsAsync(
        List<(RpcException? Error, (Guid, IMessage)? Intent)> items, ServerCallContext context)
    {
        var requested = items.Where(item => item.Error is null).Select(item => (PaymentRequested)item.Intent!.Value.Item2).ToList();
        var refusals = await access.PaymentRefusalsAsync(context, requested);
        var next = 0;
        return [.. items.Select(item => item.Error is not null ? item
            : refusals[next++] is { } refusal ? (refusal, null)
            : item)];
    }

    private static (RpcException? Error, (Guid, IMessage)? Intent) Check(Func<(Guid, PaymentRequested)> build)
    {
        try
        {
            var (id, intent) = build();
            return (null, (id, intent));
        }
        catch (RpcException error)
        {
            return (error, null);
        }
    }

    private static PaymentError ErrorOf(RpcException error) => new()
    {
        Code = (int)error.StatusCode,
        Reason = error.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? string.Empty,
        Message = error.Status.Detail,
    };
}
