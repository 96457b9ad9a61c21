using Payments.EventBus.Dapr.Tests.Sidecar;
using Payments.Postgres;
using Payments.Testing;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>
/// A Ledger process started with <c>EventBus:Transport=dapr</c> against a fresh database, its Dapr client
/// pointed at a <see cref="TestDaprSidecar"/> in the test process. Use it as a class fixture.
/// </summary>
public sealed class DaprLedger : IAsyncLifetime
{
    private readonly List<ServiceProcess> processes = [];

    public TestDatabase Database { get; } = new();

    public TestDaprSidecar Sidecar { get; private set; } = null!;

    public ServiceProcess Ledger { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Sidecar = await TestDaprSidecar.StartAsync();
        Ledger = await StartLedgerAsync();
        Http = DaprDeliveries.Client(Ledger.Url);
    }

    /// <summary>Starts another Ledger process on the same database and sidecar.</summary>
    public async Task<ServiceProcess> StartLedgerAsync()
    {
        var process = await ServiceProcess.StartAsync("Ledger", "Payments.Ledger.dll", new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = Database.ConnectionString(DatabaseRoles.LedgerWriter),
            ["EventBus__Transport"] = "dapr",
            ["EventBus__Dapr__GrpcEndpoint"] = Sidecar.GrpcEndpoint,
            // Short, so that the test of a lock held elsewhere is quick; the default is 5 s.
            ["EventBus__Dapr__WriterLockWaitMs"] = "1000",
        });
        processes.Add(process);
        return process;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        await Sidecar.DisposeAsync();
        await Database.DisposeAsync();
    }
}
