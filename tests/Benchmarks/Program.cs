using System.Globalization;
using Payments.Benchmarks;
using Payments.Benchmarks.Measurement;
using Payments.Benchmarks.Scenarios;
using Payments.Testing;

// The benchmark harness (docs/performance.md). Every figure comes from this run, baselines included, so
// the ratios compare like with like on whatever machine runs it.
var quick = args.Contains("--quick");
var settings = quick ? Settings.Quick : Settings.Full;
var results = new List<Result>();

async Task<Result> InFreshDatabase(Func<TestDatabase, Task<Result>> scenario)
{
    await using var database = await TestDatabase.CreateAsync();
    var result = await scenario(database);
    Console.Error.WriteLine($"done: {result.Name}");
    results.Add(result);
    return result;
}

// --core-only and --e2e-only run just those scenarios, without baselines, for work on the write path.
if (args.Contains("--core-only"))
{
    await using var database = await TestDatabase.CreateAsync();
    Result.PrintTable([await LedgerCore.RunAsync(database, settings, hot: false)]);
    return;
}

if (args.Contains("--e2e-only"))
{
    var only = await EndToEnd.StartAsync(settings);
    try
    {
        var floor = await only.GrpcFloorAsync();
        var single = await only.SinglePaymentsAsync();
        var halfRate = await only.SinglePaymentsAtRateAsync(Math.Max(10, single.PerSecond / 2));
        var batch = await only.BatchesAsync();
        Result.PrintTable([floor, single, halfRate, batch]);
    }
    finally
    {
        await only.Platform.DisposeAsync();
    }

    return;
}

// --audit-only runs just the audit scenario (on a ledger core run's database), for work on the audit;
// --audit-rounds N times it N times instead of three and reports the median.
if (args.Contains("--audit-only"))
{
    var rounds = Array.IndexOf(args, "--audit-rounds") is var at and >= 0
        ? int.Parse(args[at + 1], CultureInfo.InvariantCulture)
        : AuditSpeed.DefaultRounds;
    await using var database = await TestDatabase.CreateAsync();
    await LedgerCore.RunAsync(database, settings, hot: false);
    var (auditOnly, sumScan) = await AuditSpeed.RunAsync(database, rounds);
    Result.PrintTable([auditOnly, sumScan]);
    return;
}

var naive = await InFreshDatabase(db => NaiveBaseline.RunAsync(db, settings));
var ceiling = await InFreshDatabase(db => CeilingBaseline.RunAsync(db, settings));
(Result Audit, Result Baseline)? audit = null;
await InFreshDatabase(async db =>
{
    var core = await LedgerCore.RunAsync(db, settings, hot: false);
    // The audit reads the ledger the core scenario just wrote: the same rows, no second write phase.
    audit = await AuditSpeed.RunAsync(db);
    return core;
});
await InFreshDatabase(db => LedgerCore.RunAsync(db, settings, hot: true));

var platform = await EndToEnd.StartAsync(settings);
try
{
    results.Add(await platform.GrpcFloorAsync());
    var single = await platform.SinglePaymentsAsync();
    results.Add(single);
    Console.Error.WriteLine($"done: {single.Name}");
    results.Add(await platform.SinglePaymentsAtRateAsync(Math.Max(10, single.PerSecond / 2)));
    results.Add(await platform.BatchesAsync());
    await LedgerInvariants.AssertHoldAsync(platform.Platform.Database.Ledger);
}
finally
{
    await platform.Platform.DisposeAsync();
}

foreach (var result in results)
{
    result.RatioToNaive = result.PerSecond / naive.PerSecond;
    result.RatioToCeiling = result.PerSecond / ceiling.PerSecond;
}

// Audit figures are entries per second, against their own baseline; the transfer ratios do not apply.
results.AddRange([audit!.Value.Audit, audit.Value.Baseline]);
Result.PrintTable(results);
Console.WriteLine(Result.Json(results, quick));
