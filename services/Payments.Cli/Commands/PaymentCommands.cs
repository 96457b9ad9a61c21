using System.CommandLine;
using Payments.Cli.Output;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;

namespace Payments.Cli.Commands;

/// <summary><c>paymentsctl pay</c> and <c>paymentsctl payment show</c>.</summary>
internal static class PaymentCommands
{
    public static Command Pay()
    {
        var from = new Option<string>("--from") { Description = "Account to debit.", Required = true };
        var to = new Option<string>("--to") { Description = "Account to credit.", Required = true };
        var amount = new Option<string>("--amount") { Description = "Amount in major units, e.g. 250.00.", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 code.", Required = true };
        var noWait = NoWait();
        var holdSeconds = new Option<int>("--hold-seconds") { Description = "Reserve the money as a hold for this many seconds instead of posting." };
        var requestId = RequestIds.Option();
        var command = new Command("pay", "Move money from one account to another, or hold it.") { from, to, amount, currency, noWait, holdSeconds, requestId };
        command.SetAction(async (parse, ct) =>
        {
            var code = parse.GetValue(currency)!;
            var response = await Connection.Payments(parse).CreatePaymentAsync(new CreatePaymentRequest
            {
                RequestId = RequestIds.Value(parse, requestId),
                DebitAccountId = parse.GetValue(from)!,
                CreditAccountId = parse.GetValue(to)!,
                AmountMinor = Money.ToMinor(parse.GetValue(amount)!, code),
                Currency = code,
                WaitForOutcome = !parse.GetValue(noWait),
                Hold = parse.GetValue(holdSeconds) > 0,
                HoldTimeoutMs = parse.GetValue(holdSeconds) * 1000L,
            }, deadline: Connection.Deadline(parse), cancellationToken: ct);
            WritePayment(response.Payment);
        });
        return command;
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
        var amount = new Option<string>("--amount") { Description = "Amount in major units; omit for all of it." };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 code of --amount.", DefaultValueFactory = _ => "EUR" };
        var noWait = NoWait();
        var requestId = RequestIds.Option();
        var command = new Command(name, description) { paymentId, noWait, requestId };
        if (withAmount)
        {
            command.Options.Add(amount);
            command.Options.Add(currency);
        }

        command.SetAction(async (parse, ct) =>
        {
            var minor = parse.GetValue(amount) is { Length: > 0 } given ? Money.ToMinor(given, parse.GetValue(currency)!) : 0;
            WritePayment(await call(Connection.Payments(parse), parse.GetValue(paymentId)!, RequestIds.Value(parse, requestId), minor,
                !parse.GetValue(noWait), Connection.Deadline(parse), ct));
        });
        return command;
    }

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
        return new Command("payment", "Inspect and act on payments.") { show, List(), Capture(), Void(), Reverse() };
    }

    private static void WritePayment(Payment payment)
    {
        var status = payment.Status.ToString().ToUpperInvariant();
        var detail = payment.Status switch
        {
            PaymentStatus.Posted when payment.Type == PaymentType.Hold =>
                $"captured {Money.Format(payment.CapturedAmountMinor, payment.Currency)}, the rest released",
            PaymentStatus.Posted or PaymentStatus.Held => $"ledger seq {payment.LedgerSequence}",
            PaymentStatus.Rejected => Contracts.ResultCodeReasons.Reason(payment.RejectionCode),
            PaymentStatus.Accepted => "awaiting the ledger",
            _ => "funds released",
        };
        var type = payment.Type.ToString().ToUpperInvariant();
        var money = payment.Currency.Length > 0 ? Money.Format(payment.AmountMinor, payment.Currency) : "";
        var route = payment.DebitAccountId.Length > 0 ? $"{payment.DebitAccountId} -> {payment.CreditAccountId}" : $"on {payment.TargetPaymentId}";
        Console.WriteLine($"{payment.Id}  {type,-8}  {status,-8}  {money}  {route}  ({detail})");
    }
}
