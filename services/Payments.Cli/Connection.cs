using System.CommandLine;
using Grpc.Net.Client;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;

namespace Payments.Cli;

/// <summary>Where the services are, and clients for them. Options are global, so every command takes them.</summary>
internal static class Connection
{
    public static readonly Option<string> ApiUrl = new("--api-url")
    {
        Description = "Payment API address (env PAYMENTS_API_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PAYMENTS_API_URL") ?? "http://127.0.0.1:5100",
        Recursive = true,
    };

    public static readonly Option<string> LedgerUrl = new("--ledger-url")
    {
        Description = "Ledger service address (env PAYMENTS_LEDGER_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PAYMENTS_LEDGER_URL") ?? "http://127.0.0.1:5101",
        Recursive = true,
    };

    public static readonly Option<int> TimeoutSeconds = new("--timeout")
    {
        Description = "Deadline of each call, in seconds.",
        DefaultValueFactory = _ => 15,
        Recursive = true,
    };

    public static PaymentService.PaymentServiceClient Payments(ParseResult parse) =>
        new(GrpcChannel.ForAddress(parse.GetValue(ApiUrl)!));

    public static LedgerService.LedgerServiceClient Ledger(ParseResult parse) =>
        new(GrpcChannel.ForAddress(parse.GetValue(LedgerUrl)!));

    public static DateTime Deadline(ParseResult parse) => DateTime.UtcNow.AddSeconds(parse.GetValue(TimeoutSeconds));
}
