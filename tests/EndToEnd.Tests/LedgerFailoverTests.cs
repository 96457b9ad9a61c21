using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests;

/// <summary>One writer per ledger: a second Ledger process waits as standby and takes over when the first dies.</summary>
public sealed class LedgerFailoverTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task A_standby_ledger_takes_over_when_the_active_one_is_killed()
    {
        var from = await platform.OpenAccountAsync("payer");
        var to = await platform.OpenAccountAsync("payee");
        var standby = await platform.StartLedgerAsync();
        await Eventually.WaitUntilAsync(() => Task.FromResult(standby.Output.Contains("waiting as standby", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the second ledger reports itself as standby");
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(from, to, 10)).Status);

        await platform.Ledger.KillAsync();
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(from, to, 20)).Status);

        var survivor = new LedgerService.LedgerServiceClient(TestTokens.Invoker(standby.Url, TestTokens.For(Platform.DefaultPrincipal, Scopes.All)));
        var balance = await survivor.GetBalanceAsync(new GetBalanceRequest { AccountId = to }, deadline: platform.Deadline);
        Assert.Equal(30, balance.Balance.PostedMinor);
        Assert.Contains("active from offset", standby.Output, StringComparison.Ordinal);
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
    }
}
