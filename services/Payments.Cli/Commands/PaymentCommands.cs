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
        var noWait = new Option<bool>("--no-wait") { Description = "Return once accepted, without waiting for the ledger." };
        var requestId = RequestIds.Option();
        var command = new Command("pay", "Move money from one account to another.") { from, to, amount, currency, noWait, requestId };
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
            }, deadline: Connection.Deadline(parse), cancellationToken: ct);
            WritePayment(response.Payment);
        });
        return command;
    }

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
        return new Command("payment", "Inspect payments.") { show };
    }

    private static void WritePayment(Payment payment)
    {
        var status = payment.Status.ToString().ToUpperInvariant();
        var detail = payment.Status switch
        {
            PaymentStatus.Posted => $"ledger seq {payment.LedgerSequence}",
            PaymentStatus.Rejected => payment.RejectionCode.ToString(),
            _ => "awaiting the ledger",
        };
        Console.WriteLine($"{payment.Id}  {status,-8}  {Money.Format(payment.AmountMinor, payment.Currency)}  " +
            $"{payment.DebitAccountId} -> {payment.CreditAccountId}  ({detail})");
    }
}
