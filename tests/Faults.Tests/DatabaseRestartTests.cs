using System.Collections.Concurrent;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Ledger.Replay;
using Payments.Testing;

namespace Payments.Faults.Tests;

/// <summary>
/// PostgreSQL stopped in immediate mode and started again while payments flow. Clients retry with the
/// same request_id until acknowledged, as real clients do. Afterwards every acknowledged payment is
/// posted exactly once, the money invariants hold, and a rebuild from the log gives the same chain.
/// </summary>
public sealed class DatabaseRestartTests(Platform platform) : IClassFixture<Platform>
{
    private const int PaymentCount = 300;
    private const int RestartAfterAcknowledged = 60;
    private const int ClientsMax = 8;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task An_immediate_database_restart_loses_and_duplicates_nothing()
    {
        var funding = await OpenAsync("treasury");
        var wallets = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            wallets.Add(await OpenAsync($"wallet-{i}"));
        }

        var acknowledged = new ConcurrentDictionary<int, string>();
        var failedAttempts = 0;
        var failures = new ConcurrentDictionary<StatusCode, int>();
        using var stop = new CancellationTokenSource(RunTimeout);
        var restart = Task.Run(async () =>
        {
            await Eventually.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= RestartAfterAcknowledged), RunTimeout, "payments before the restart");
            await PostgresControl.RestartImmediatelyAsync();
        });

        await Parallel.ForEachAsync(Enumerable.Range(0, PaymentCount), new ParallelOptions { MaxDegreeOfParallelism = ClientsMax, CancellationToken = stop.Token },
            async (i, ct) =>
            {
                // Retry with the same request_id until the platform acknowledges; bounded by the run's timeout.
                while (true)
                {
                    try
                    {
                        var payment = (await platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
                        {
                            RequestId = $"restart-{i}", DebitAccountId = funding, CreditAccountId = wallets[i % wallets.Count],
                            AmountMinor = 1 + i, Currency = "EUR",
                        }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct)).Payment;
                        acknowledged[i] = payment.Id;
                        return;
                    }
                    // A restart is not the caller's fault: it must read as "retry" (UNAVAILABLE) or a deadline,
                    // never as INTERNAL or UNKNOWN, which would escape this filter and fail the test.
                    catch (RpcException error) when (error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                    {
                        Interlocked.Increment(ref failedAttempts);
                        failures.AddOrUpdate(error.StatusCode, 1, (_, n) => n + 1);
                        await Task.Delay(100, ct);
                    }
                }
            });
        await restart;

        var ids = acknowledged.Values.Select(Guid.Parse).ToArray();
        await Eventually.WaitUntilAsync(async () => await platform.Database.Ledger.ScalarAsync<long>(
            "select count(*) from ledger.transfers where id = any($1)", ids) == PaymentCount, TimeSpan.FromSeconds(90), "every acknowledged payment posted");

        Assert.Equal(PaymentCount, acknowledged.Count);
        Assert.True(failedAttempts > 0, "the restart was felt by clients");
        Console.WriteLine("failed attempts by status: " + string.Join(", ", failures.Select(f => $"{f.Key} {f.Value}")));
        Assert.Equal((long)PaymentCount, await platform.Database.Ledger.ScalarAsync<long>("select count(*) from ledger.transfers"));
        Assert.Equal(-Enumerable.Range(0, PaymentCount).Sum(i => 1L + i), await BalanceAsync(funding));
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);

        await using var rebuilt = await TestDatabase.CreateAsync();
        var replay = await LedgerRebuilder.RebuildAsync(platform.Database.Ledger, rebuilt.Owner, "main", CancellationToken.None);
        Assert.True(replay.Identical, $"live {replay.LiveHash} vs rebuilt {replay.RebuiltHash}");
        Console.WriteLine($"payments {PaymentCount}, pg restarts 1, failed attempts {failedAttempts}, acked {acknowledged.Count}: lost 0, duplicated 0");
    }

    private async Task<string> OpenAsync(string owner) =>
        (await platform.LedgerClient.OpenAccountAsync(new OpenAccountRequest { RequestId = owner, Owner = owner, Currency = "EUR" },
            deadline: platform.Deadline)).Account.Id;

    private async Task<long> BalanceAsync(string account) =>
        (await platform.LedgerClient.GetBalanceAsync(new GetBalanceRequest { AccountId = account }, deadline: platform.Deadline)).Balance.PostedMinor;
}
