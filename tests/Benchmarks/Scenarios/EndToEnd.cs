using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Payments.Benchmarks.Measurement;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.Benchmarks.Scenarios;

/// <summary>
/// The whole platform as real processes on loopback: clients call the Payment API over gRPC and wait for
/// the ledger's outcome, so each latency is accept-to-posted as a client sees it.
/// </summary>
internal sealed class EndToEnd(Platform platform, Settings settings)
{
    private const string AccountOwner = "bench";

    private readonly List<string> accounts = [];

    public static async Task<EndToEnd> StartAsync(Settings settings)
    {
        var platform = new Platform();
        platform.Environment["Ledger__BatchSizeMax"] = Settings.WriterBatchSizeMax.ToString(System.Globalization.CultureInfo.InvariantCulture);
        platform.Environment["Logging__LogLevel__Default"] = "Warning";

        // The benchmark is one principal pushing as hard as it can; the per-principal limit would measure itself.
        platform.Environment["RateLimit__CallsPerSecond"] = "10000000";
        platform.Environment["RateLimit__BurstMax"] = "10000000";
        platform.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        await platform.InitializeAsync();
        var scenario = new EndToEnd(platform, settings);
        await scenario.OpenAccountsAsync();
        await scenario.WarmUpAsync();
        return scenario;
    }

    public Platform Platform => platform;

    /// <summary>Closed loop: every client sends its next payment as soon as the previous one posted.</summary>
    public async Task<Result> SinglePaymentsAsync()
    {
        var latencies = new Latencies();
        var cpu = await StartCpuUsageAsync();
        var clock = Stopwatch.StartNew();
        await ClosedLoopAsync(TimeSpan.FromSeconds(settings.EndToEndSeconds), latencies);
        var commits = await CommitsAsync();
        return Finish("end to end, single-payment RPCs", latencies.Count / clock.Elapsed.TotalSeconds, latencies,
            $"{settings.Clients} clients, wait for posted; {commits}; {cpu?.PerItem(latencies.Count)}");
    }

    /// <summary>
    /// The floor under any RPC: the same clients, closed loop, calling the API's health check, which does
    /// nothing (no token, no database). What a payment costs beyond this is the platform's own.
    /// </summary>
    public async Task<Result> GrpcFloorAsync()
    {
        var latencies = new Latencies();
        var cpu = await StartCpuUsageAsync();
        var deadline = DateTime.UtcNow.AddSeconds(settings.EndToEndSeconds);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(_ => Task.Run(async () =>
        {
            var health = new Health.HealthClient(TestTokens.Invoker(platform.Api.Url, token: null));
            while (DateTime.UtcNow < deadline)
            {
                await latencies.TimeAsync(() => health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
            }
        })));
        return Finish("baseline: gRPC floor (health checks)", latencies.Count / clock.Elapsed.TotalSeconds, latencies,
            $"{settings.Clients} clients, the same channels' cost with no platform work; {cpu?.PerItem(latencies.Count).Replace("payment", "call", StringComparison.Ordinal)}");
    }

    /// <summary>Open loop at a fixed rate, to read latency below saturation.</summary>
    public async Task<Result> SinglePaymentsAtRateAsync(double perSecond)
    {
        var latencies = new Latencies();
        var total = (int)(perSecond * settings.EndToEndSeconds);
        var inFlight = new List<Task>(total);
        var payments = Payer();
        var random = new Random(42);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var request = Request(random);
            inFlight.Add(latencies.TimeAsync(() => payments.CreatePaymentAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync));
        }

        await Task.WhenAll(inFlight);
        return Finish("end to end, single RPCs at half max rate", latencies.Count / clock.Elapsed.TotalSeconds, latencies, $"open loop at {perSecond:N0}/s");
    }

    /// <summary>Closed loop with CreatePayments batches.</summary>
    public async Task<Result> BatchesAsync()
    {
        var latencies = new Latencies();
        long posted = 0;
        var cpu = await StartCpuUsageAsync();
        var deadline = DateTime.UtcNow.AddSeconds(settings.EndToEndSeconds);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.BatchClients).Select(client => Task.Run(async () =>
        {
            var random = new Random(1000 + client);
            var payments = Payer();
            while (DateTime.UtcNow < deadline)
            {
                var batch = new CreatePaymentsRequest { WaitForOutcome = true };
                batch.Requests.AddRange(Enumerable.Range(0, Settings.BatchItems).Select(_ => Request(random)));
                CreatePaymentsResponse? response = null;
                if (await latencies.TimeAsync(async () => response = await payments.CreatePaymentsAsync(batch, deadline: DateTime.UtcNow.AddSeconds(30))))
                {
                    Interlocked.Add(ref posted, response!.Results.Count(r => r.Payment?.Status == PaymentStatus.Posted));
                }
            }
        })));
        return Finish("end to end, batch RPCs (100 per call)", posted / clock.Elapsed.TotalSeconds, latencies,
            $"{settings.BatchClients} clients, latency per batch; {cpu?.PerItem(posted)}");
    }

    // The services and the clients start cold: until the JIT has compiled the hot paths at full
    // optimization, a payment costs several times what it does later. None of that is measured.
    private Task WarmUpAsync() => ClosedLoopAsync(TimeSpan.FromSeconds(settings.WarmUpSeconds), new Latencies());

    private Task ClosedLoopAsync(TimeSpan duration, Latencies latencies)
    {
        var deadline = DateTime.UtcNow + duration;
        return Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            var payments = Payer();
            while (DateTime.UtcNow < deadline)
            {
                await latencies.TimeAsync(() => payments.CreatePaymentAsync(Request(random), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
            }
        })));
    }

    private Task<CpuUsage?> StartCpuUsageAsync() =>
        CpuUsage.StartAsync(platform.Api.ProcessId, platform.Ledger.ProcessId, platform.Database.Ledger);

    // now() is the transaction's start, so distinct values count the commits that appended to each topic.
    private async Task<string> CommitsAsync()
    {
        var intents = await platform.Database.Ledger.ScalarAsync<long>("select count(distinct appended_at) from eventlog.events where topic = 'payments'");
        var ledger = await platform.Database.Ledger.ScalarAsync<long>("select count(distinct appended_at) from eventlog.events where topic = 'ledger'");
        var events = await platform.Database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events where topic = 'payments'");
        return $"{events} intents in {intents} intake commits, {ledger} ledger commits";
    }

    private Result Finish(string name, double perSecond, Latencies latencies, string note) =>
        new(name, perSecond, latencies.Percentile(0.5), latencies.Percentile(0.99), latencies.Percentile(0.999),
            Memory.PeakMegabytes(platform.Ledger.ProcessId) + Memory.PeakMegabytes(platform.Api.ProcessId), note + "; peak = ledger + API");

    // As a real client pays: the owner of the accounts, with no more than the payment scopes, so every call
    // also passes the ownership check an administrator would skip.
    private PaymentService.PaymentServiceClient Payer() => platform.PaymentsAs(AccountOwner, Scopes.PaymentsWrite, Scopes.PaymentsRead);

    private CreatePaymentRequest Request(Random random)
    {
        var from = random.Next(accounts.Count);
        var to = (from + 1 + random.Next(accounts.Count - 1)) % accounts.Count;
        return new CreatePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), DebitAccountId = accounts[from], CreditAccountId = accounts[to],
            AmountMinor = random.Next(1, 1000), Currency = "EUR", WaitForOutcome = true,
        };
    }

    private async Task OpenAccountsAsync()
    {
        var ledger = platform.LedgerClient;
        var opened = await Task.WhenAll(Enumerable.Range(0, Settings.Accounts).Select(async i =>
            (await ledger.OpenAccountAsync(new OpenAccountRequest { RequestId = $"bench-{i}", Owner = AccountOwner, Currency = "EUR" },
                deadline: DateTime.UtcNow.AddSeconds(60))).Account.Id));
        accounts.AddRange(opened);
    }
}
