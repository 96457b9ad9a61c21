using System.CommandLine;
using Grpc.Core;
using Payments.Cli.Output;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;

namespace Payments.Cli.Commands;

/// <summary><c>paymentsctl pay</c> and <c>paymentsctl payment show|watch|list|capture|void|reverse</c>.</summary>
internal static class PaymentCommands
{
    public static Command Pay()
    {
        var from = new Option<string>("--from") { Description = "Account to debit.", Required = true };
        var to = new Option<string>("--to") { Description = "Account to credit.", Required = true };
        var amount = new Option<string>("--amount") { Description = "Amount in major units, e.g. 250.00.", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 code.", Required = true };
        var noWait = NoWait();
        var holdSeconds = new Option<int>("--hold-seconds")
        {
            Description = "Reserve the money as a hold for this many seconds instead of posting (for payouts: how long the reservation lasts).",
        };
        var payoutTo = new Option<string>("--payout-to")
        {
            Description = "Pay out through the settlement rail to this beneficiary; --to is then the rail's settlement account.",
        };
        var watch = new Option<bool>("--watch") { Description = "Follow the payment until its status is final." };
        var requestId = RequestIds.Option();
        var command = new Command("pay", "Move money from one account to another, hold it, or pay it out through the settlement rail.")
        {
            from, to, amount, currency, noWait, holdSeconds, payoutTo, watch, requestId,
        };
        command.SetAction(async (parse, ct) =>
        {
            var code = parse.GetValue(currency)!;
            var payout = parse.GetValue(payoutTo) ?? string.Empty;
            var client = Connection.Payments(parse);
            var response = await client.CreatePaymentAsync(new CreatePaymentRequest
            {
                RequestId = RequestIds.Value(parse, requestId),
                DebitAccountId = parse.GetValue(from)!,
                CreditAccountId = parse.GetValue(to)!,
                AmountMinor = Money.ToMinor(parse.GetValue(amount)!, code),
                Currency = code,
                WaitForOutcome = !parse.GetValue(noWait),
                Hold = payout.Length == 0 && parse.GetValue(holdSeconds) > 0,
                HoldTimeoutMs = parse.GetValue(holdSeconds) * 1000L,
                PayoutBeneficiary = payout,
            }, deadline: Connection.Deadline(parse), cancellationToken: ct);
            WritePayment(response.Payment);
            if (parse.GetValue(watch))
            {
                await WatchAsync(client, response.Payment.Id, response.Payment.Status, parse, ct);
            }
        });
        return command;
    }

    public static Command Watch()
    {
        var paymentId = new Argument<string>("payment-id") { Description = "The payment id." };
        var command = new Command("watch", "Follow a payment step by step until its status is final.") { paymentId };
        command.SetAction((parse, ct) => WatchAsync(Connection.Payments(parse), parse.GetValue(paymentId)!, PaymentStatus.Unspecified, parse, ct));
        return command;
    }

    // Prints each status the payment reaches after `known` (the one already shown).
    private static async Task WatchAsync(
        PaymentService.PaymentServiceClient client, string paymentId, PaymentStatus known, ParseResult parse, CancellationToken ct)
    {
        using var call = client.WatchPayment(new WatchPaymentRequest { PaymentId = paymentId }, deadline: Connection.Deadline(parse), cancellationToken: ct);
        try
        {
            while (await call.ResponseStream.MoveNext(ct))
            {
                var payment = call.ResponseStream.Current.Payment;
                if (payment.Status != known)
                {
                    WritePayment(payment);
                    known = payment.Status;
                }
            }
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.DeadlineExceeded)
        {
            // The deadline is how a watch of a long hold ends (the proto says so), not a failure.
            await Console.Error.WriteLineAsync(
                $"(watch ended at its deadline; payment {paymentId} is still {known.ToString().ToUpperInvariant()}: watch again, or raise --timeout)");
        }
    }

    public static Command Capture() => Operation("capture", "Post a held payment, fully or in part.", withAmount: true,
        async (client, id, requestId, amount, wait, deadline, ct) => (await client.CapturePaymentAsync(new CapturePaymentRequest
        {
            RequestId = requestId, PaymentId = id, AmountMinor = amount, WaitForOutcome = wait,
        }, deadline: deadline, cancellationToken: ct)).Payment);

    public static Command Void() => Operation("void", "Release a held payment.", withAmount: false,
        async (client, id, requestId, _, wait, deadline, ct) => (await client.VoidPaymentAsync(new VoidPaymentRequest
        {
            RequestId = requestId, PaymentId = id, WaitForOutcome = wait,
        }, deadline: deadline, cancellationToken: ct)).Payment);

    public static Command Reverse() => Operation("reverse", "Move money back for a posted payment, fully or in part.", withAmount: true,
        async (client, id, requestId, amount, wait, deadline, ct) => (await client.ReversePaymentAsync(new ReversePaymentRequest
        {
            RequestId = requestId, PaymentId = id, AmountMinor = amount, WaitForOutcome = wait,
        }, deadline: deadline, cancellationToken: ct)).Payment);

    public static Command List()
    {
        var limit = new Option<int>("--limit") { Description = "Most payments to show.", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List your payments, oldest first.") { limit };
        command.SetAction(async (parse, ct) =>
        {
            var client = Connection.Payments(parse);
            var request = new ListPaymentsRequest { PageSize = Math.Clamp(parse.GetValue(limit), 1, 1000) };
            var shown = 0;
            do
            {
                var page = await client.ListPaymentsAsync(request, deadline: Connection.Deadline(parse), cancellationToken: ct);
                foreach (var payment in page.Payments.Take(parse.GetValue(limit) - shown))
                {
                    WritePayment(payment);
                    shown++;
                }

                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0 && shown < parse.GetValue(limit));
        });
        return command;
    }

    private delegate Task<Payment> PaymentOperation(
        PaymentService.PaymentServiceClient client, string paymentId, string requestId, long amountMinor, bool wait, DateTime deadline, CancellationToken ct);

    // Capture, void and reverse share their shape: a target payment, an optional amount, a request id.
    private static Command Operation(string name, string description, bool withAmount, PaymentOperation call)
    {
        var paymentId = new Argument<string>("payment-id") { Description = "The payment to act on." };
        var amount = new Option<string>("--amount") { Description = "Amount in major units of the payment's currency; omit for all of it." };
        var noWait = NoWait();
        var requestId = RequestIds.Option();
        var command = new Command(name, description) { paymentId, noWait, requestId };
        if (withAmount)
        {
            command.Options.Add(amount);
        }

        command.SetAction(async (parse, ct) =>
        {
            var client = Connection.Payments(parse);
            var target = parse.GetValue(paymentId)!;
            var minor = parse.GetValue(amount) is { Length: > 0 } given
                ? Money.ToMinor(given, await CurrencyOfAsync(client, target, Connection.Deadline(parse), ct))
                : 0;
            WritePayment(await call(client, target, RequestIds.Value(parse, requestId), minor, !parse.GetValue(noWait), Connection.Deadline(parse), ct));
        });
        return command;
    }

    // The request carries minor units and no currency, so the server cannot catch "500" meant as yen and
    // read as euros: the amount is converted with the exponent of the payment's own currency.
    private static async Task<string> CurrencyOfAsync(
        PaymentService.PaymentServiceClient client, string paymentId, DateTime deadline, CancellationToken ct) =>
        (await client.GetPaymentAsync(new GetPaymentRequest { PaymentId = paymentId }, deadline: deadline, cancellationToken: ct)).Payment.Currency;

    private static Option<bool> NoWait() => new("--no-wait") { Description = "Return once accepted, without waiting for the ledger." };

    public static Command Payment()
    {
        var paymentId = new Argument<string>("payment-id") { Description = "The payment id." };
        var show = new Command("show", "Show a payment and its status.") { paymentId };
        show.SetAction(async (parse, ct) =>
        {
            var response = await Connection.Payments(parse).GetPaymentAsync(
                new GetPaymentRequest { PaymentId = parse.GetValue(paymentId)! }, deadline: Connection.Deadline(parse), cancellationToken: ct);
            WritePayment(response.Payment);
        });
        return new Command("payment", "Inspect and act on payments.") { show, Watch(), List(), Capture(), Void(), Reverse() };
    }

    private static void WritePayment(Payment payment)
    {
        var status = payment.Status.ToString().ToUpperInvariant();
        var detail = payment.Status switch
        {
            PaymentStatus.Posted when payment.Type == PaymentType.Hold =>
                $"captured {Money.Format(payment.CapturedAmountMinor, payment.Currency)}, the rest released",
            PaymentStatus.Posted when payment.Type == PaymentType.Payout => $"paid out to {payment.Beneficiary}",
            PaymentStatus.Posted or PaymentStatus.Held => $"ledger seq {payment.LedgerSequence}",
            PaymentStatus.Reserved => $"funds reserved, the rail is paying {payment.Beneficiary}",
            PaymentStatus.Compensated => "reservation released: " + Contracts.ResultCodeReasons.Reason(payment.CompensationCode),
            PaymentStatus.Rejected => Contracts.ResultCodeReasons.Reason(payment.RejectionCode),
            PaymentStatus.Accepted => "awaiting the ledger",
            _ => "funds released",
        };
        var type = payment.Type.ToString().ToUpperInvariant();
        var money = payment.Currency.Length > 0 ? Money.Format(payment.AmountMinor, payment.Currency) : "";
        var route = payment.DebitAccountId.Length > 0 ? $"{payment.DebitAccountId} -> {payment.CreditAccountId}" : $"on {payment.TargetPaymentId}";
        Console.WriteLine($"{payment.Id}  {type,-8}  {status,-11}  {money}  {route}  ({detail})");
    }
}
