using Grpc.Net.Client;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Postgres;
using Xunit;

namespace Payments.Testing;

/// <summary>
/// The embedded platform for one test class: a fresh database, the Ledger and the Payment API as real
/// processes, and gRPC clients for both.
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    private readonly List<ServiceProcess> processes = [];

    public TestDatabase Database { get; } = new();

    /// <summary>Extra environment for every process started after it is set (configuration overrides).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public ServiceProcess Ledger { get; private set; } = null!;

    public ServiceProcess Api { get; private set; } = null!;

    public PaymentService.PaymentServiceClient Payments => new(GrpcChannel.ForAddress(Api.Url));

    public LedgerService.LedgerServiceClient LedgerClient => new(GrpcChannel.ForAddress(Ledger.Url));

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Ledger = await StartLedgerAsync();
        Api = await StartAsync("Payments.Api", "Payments.Api.dll", "ConnectionStrings__Payments", DatabaseRoles.Api);
    }

    /// <summary>Starts another Ledger process: the active writer if none is, a standby otherwise.</summary>
    public Task<ServiceProcess> StartLedgerAsync() =>
        StartAsync("Ledger", "Payments.Ledger.dll", "ConnectionStrings__Ledger", DatabaseRoles.LedgerWriter);

    /// <summary>Replaces <see cref="Ledger"/> with a freshly started process.</summary>
    public async Task RestartLedgerAsync() => Ledger = await StartLedgerAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    public DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    private async Task<ServiceProcess> StartAsync(string project, string assembly, string connectionVariable, string role)
    {
        var environment = new Dictionary<string, string>(Environment) { [connectionVariable] = Database.ConnectionString(role) };
        var process = await ServiceProcess.StartAsync(project, assembly, environment);
        processes.Add(process);
        return process;
    }
}
