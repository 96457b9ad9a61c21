using System.CommandLine;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Security;

namespace Payments.Cli;

/// <summary>Where the services are, how to reach them, and clients for them. Options are global, so every command takes them.</summary>
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

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Bearer token sent with every call (env PAYMENTS_TOKEN); see 'paymentsctl token'.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PAYMENTS_TOKEN"),
        Recursive = true,
    };

    public static readonly Option<string?> CaCertificate = new("--ca-cert")
    {
        Description = "PEM file of the CA to trust for https addresses, instead of the system store (env PAYMENTS_CA_CERT).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PAYMENTS_CA_CERT"),
        Recursive = true,
    };

    public static PaymentService.PaymentServiceClient Payments(ParseResult parse) => new(Invoker(parse, parse.GetValue(ApiUrl)!));

    public static LedgerService.LedgerServiceClient Ledger(ParseResult parse) => new(Invoker(parse, parse.GetValue(LedgerUrl)!));

    public static DateTime Deadline(ParseResult parse) => DateTime.UtcNow.AddSeconds(parse.GetValue(TimeoutSeconds));

    private static CallInvoker Invoker(ParseResult parse, string url)
    {
        var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = Handler(parse.GetValue(CaCertificate)) });
        var token = parse.GetValue(Token);
        return string.IsNullOrWhiteSpace(token)
            ? channel.CreateCallInvoker()
            : channel.Intercept(headers =>
            {
                headers.Add("authorization", "Bearer " + token);
                return headers;
            });
    }

    // A development CA is trusted for this process only, never added to the machine's store.
    private static SocketsHttpHandler Handler(string? caPath)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (!string.IsNullOrWhiteSpace(caPath))
        {
            handler.SslOptions.RemoteCertificateValidationCallback = new(DevelopmentCertificates.TrustOnly(caPath));
        }

        return handler;
    }
}
