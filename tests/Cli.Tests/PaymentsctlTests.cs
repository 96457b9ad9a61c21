using System.Diagnostics;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Postgres;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.Cli.Tests;

/// <summary>The built paymentsctl, run as a process against the real platform on loopback.</summary>
public sealed class PaymentsctlTests(Platform platform) : IClassFixture<Platform>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_capture_amount_is_read_in_the_holds_own_currency()
    {
        var hold = await HoldAsync("JPY", 1_000);

        var run = await RunAsync("payment", "capture", hold, "--amount", "500");

        Assert.True(run.ExitCode == 0, run.Output);
        var captured = (await platform.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = hold }, deadline: platform.Deadline)).Payment;
        Assert.Equal(500, captured.CapturedAmountMinor);
    }

    [Fact]
    public async Task A_watch_that_reaches_its_deadline_ends_normally_and_says_so()
    {
        var hold = await HoldAsync("EUR", 100);

        var run = await RunAsync("payment", "watch", hold, "--timeout", "2");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("watch ended at its deadline", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payment_whose_outcome_is_unknown_exits_3_with_the_request_id_that_retries_it()
    {
        // Nothing listens on the discard port, so the call fails before any answer: the outcome is unknown.
        var run = await RunAsync("pay", "--api-url", "http://127.0.0.1:9", "--from", Guid.NewGuid().ToString(), "--to", Guid.NewGuid().ToString(),
            "--amount", "1.00", "--currency", "EUR", "--request-id", "retry-me");

        Assert.True(run.ExitCode == ErrorReporting.OutcomeUnknown, run.Output);
        Assert.Contains("--request-id retry-me", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_exit_codes()
    {
        var run = await RunAsync("--help");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Exit codes: 0 done; 1 an audit", run.Output, StringComparison.Ordinal);
        Assert.Contains("3 the outcome of a change is unknown", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rebuild_of_the_running_ledger_is_identical_and_exits_0()
    {
        await HoldAsync("EUR", 250);
        await using var rebuilt = await TestDatabase.CreateAsync();

        var run = await RunAsync("ledger", "rebuild",
            "--from", platform.Database.ConnectionString(DatabaseRoles.LedgerWriter), "--into", rebuilt.ConnectionString(DatabaseRoles.Owner));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("IDENTICAL", run.Output, StringComparison.Ordinal);
        Assert.True(await rebuilt.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers") > 0, run.Output);
    }

    private async Task<string> HoldAsync(string currency, long amountMinor)
    {
        async Task<string> OpenAsync(string owner) => (await platform.LedgerClient.OpenAccountAsync(
            new OpenAccountRequest { RequestId = Guid.NewGuid().ToString(), Owner = owner, Currency = currency },
            deadline: platform.Deadline)).Account.Id;
        var hold = await platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), DebitAccountId = await OpenAsync("payer"), CreditAccountId = await OpenAsync("payee"),
            AmountMinor = amountMinor, Currency = currency, Hold = true, HoldTimeoutMs = 600_000, WaitForOutcome = true,
        }, deadline: platform.Deadline);
        Assert.Equal(PaymentStatus.Held, hold.Payment.Status);
        return hold.Payment.Id;
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ServiceProcess.AssemblyPath("Payments.Cli", "paymentsctl.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PAYMENTS_API_URL"] = platform.Api.Url.ToString();
        start.Environment["PAYMENTS_LEDGER_URL"] = platform.Ledger.Url.ToString();
        start.Environment["PAYMENTS_TOKEN"] = TestTokens.For(Platform.DefaultPrincipal, Scopes.All);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
