using Payments.Testing;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;

namespace Payments.EndToEnd.Tests;

/// <summary>The calls the end-to-end tests make again and again.</summary>
internal static class PlatformClients
{
    public static async Task<string> OpenAccountAsync(this Platform platform, string owner, bool noOverdraft = false, string currency = "EUR")
    {
        var response = await platform.LedgerClient.OpenAccountAsync(new OpenAccountRequest
        {
            RequestId = Guid.NewGuid().ToString(), Owner = owner, Currency = currency,
            Flags = new AccountFlags { DebitsMustNotExceedCredits = noOverdraft },
        }, deadline: platform.Deadline);
        return response.Account.Id;
    }

    public static async Task<Payment> PayAsync(
        this Platform platform, string from, string to, long amount, string? requestId = null, bool wait = true, Metadata? headers = null)
    {
        var response = await platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to,
            AmountMinor = amount, Currency = "EUR", WaitForOutcome = wait,
        }, headers, deadline: platform.Deadline);
        return response.Payment;
    }

    public static async Task<long> PostedBalanceAsync(this Platform platform, string account) =>
        (await platform.LedgerClient.GetBalanceAsync(new GetBalanceRequest { AccountId = account }, deadline: platform.Deadline))
            .Balance.PostedMinor;
}
