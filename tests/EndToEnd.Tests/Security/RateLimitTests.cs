using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>A platform whose per-principal limit is small enough to reach in a test.</summary>
public sealed class RateLimitedPlatform : IAsyncLifetime
{
    public const int BurstMax = 20;

    public Platform Platform { get; } = new();

    public Task InitializeAsync()
    {
        Platform.Environment["RateLimit__CallsPerSecond"] = "5";
        Platform.Environment["RateLimit__BurstMax"] = BurstMax.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Platform.InitializeAsync();
    }

    public Task DisposeAsync() => Platform.DisposeAsync();
}

/// <summary>
/// Thousands of calls from one principal: past its bucket each is RESOURCE_EXHAUSTED (RATE_LIMITED) and
/// writes nothing, while another principal is still served at once.
/// </summary>
public sealed class RateLimitTests(RateLimitedPlatform fixture) : IClassFixture<RateLimitedPlatform>
{
    private static readonly string[] CustomerScopes = [Scopes.PaymentsWrite, Scopes.PaymentsRead, Scopes.LedgerRead];

    [Fact]
    public async Task A_flooding_principal_is_limited_while_another_is_served()
    {
        var platform = fixture.Platform;
        var funding = await platform.OpenAccountAsync("treasury");
        var flooderAccount = await platform.OpenAccountAsync("flooder");
        var bystanderAccount = await platform.OpenAccountAsync("bystander");
        var flooder = platform.PaymentsAs("flooder", CustomerScopes);
        var before = await Writes.CountAsync(platform);

        var calls = Enumerable.Range(0, 2000).Select(async _ =>
        {
            try
            {
                await flooder.CreatePaymentAsync(new CreatePaymentRequest
                {
                    RequestId = Guid.NewGuid().ToString(), DebitAccountId = flooderAccount, CreditAccountId = funding, AmountMinor = 1, Currency = "EUR",
                }, deadline: platform.Deadline);
                return StatusCode.OK;
            }
            catch (RpcException error)
            {
                Assert.Equal("RATE_LIMITED", error.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
                return error.StatusCode;
            }
        }).ToList();

        // While the flood is refused, the bystander's own bucket is untouched.
        var served = await platform.LedgerAs("bystander", CustomerScopes).GetBalanceAsync(
            new GetBalanceRequest { AccountId = bystanderAccount }, deadline: platform.Deadline);
        Assert.Equal(0, served.Balance.PostedMinor);

        var statuses = await Task.WhenAll(calls);
        var admitted = statuses.Count(s => s == StatusCode.OK);
        Assert.All(statuses, s => Assert.True(s is StatusCode.OK or StatusCode.ResourceExhausted, $"unexpected {s}"));
        Assert.InRange(admitted, 1, 1000);
        Assert.True(statuses.Length - admitted >= 1000, $"only {statuses.Length - admitted} of {statuses.Length} were limited");

        // Exactly the admitted calls were written; the limited ones left nothing.
        Assert.Equal(before.Intents + admitted, (await Writes.CountAsync(platform)).Intents);
    }
}
