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

    /// <summary>Opens (or finds again: the request_id is fixed) the EUR settlement account Settlement is configured with.</summary>
    public static async Task<string> OpenSettlementAccountAsync(this Platform platform)
    {
        var response = await platform.LedgerClient.OpenAccountAsync(new OpenAccountRequest
        {
            RequestId = Platform.SettlementAccountRequestId("EUR"), Owner = "settlement", Currency = "EUR",
        }, deadline: platform.Deadline);
        Assert.Equal(Platform.SettlementAccountId("EUR"), response.Account.Id);
        return response.Account.Id;
    }

    public static async Task<Payment> PayoutAsync(
        this Platform platform, string from, string settlementAccount, long amount, string beneficiary, long timeoutMs = 0, string? requestId = null)
    {
        var response = await platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = settlementAccount,
            AmountMinor = amount, Currency = "EUR", PayoutBeneficiary = beneficiary, HoldTimeoutMs = timeoutMs, WaitForOutcome = true,
        }, deadline: platform.Deadline);
        return response.Payment;
    }

    /// <summary>Follows the payment with WatchPayment until its status is final; returns every status seen.</summary>
    public static async Task<List<Payment>> WatchUntilFinalAsync(this Platform platform, string paymentId, TimeSpan timeout)
    {
        using var call = platform.Payments.WatchPayment(new WatchPaymentRequest { PaymentId = paymentId }, deadline: DateTime.UtcNow + timeout);
        var seen = new List<Payment>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            seen.Add(call.ResponseStream.Current.Payment);
        }

        return seen;
    }

    public static async Task<Payment> GetPaymentAsync(this Platform platform, string paymentId) =>
        (await platform.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = paymentId }, deadline: platform.Deadline)).Payment;

    public static async Task<Balance> BalanceAsync(this Platform platform, string account) =>
        (await platform.LedgerClient.GetBalanceAsync(new GetBalanceRequest { AccountId = account }, deadline: platform.Deadline)).Balance;

    public static async Task<long> PostedBalanceAsync(this Platform platform, string account) =>
        (await platform.LedgerClient.GetBalanceAsync(new GetBalanceRequest { AccountId = account }, deadline: platform.Deadline))
            .Balance.PostedMinor;
}
