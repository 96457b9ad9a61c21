using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;
using Payments.Postgres;
using Payments.ServiceDefaults.Security;
using Xunit;

namespace Payments.Testing;

/// <summary>
/// The embedded platform for one test class: a fresh database, the Ledger and the Payment API as real
/// processes, and gRPC clients for both. Settlement starts on request, with the settlement accounts of
/// <see cref="SettlementAccountId"/>. The services trust <see cref="TestTokens"/>; the clients handed out
/// carry a token for <see cref="DefaultPrincipal"/> with every scope, and <see cref="PaymentsAs"/> and
/// <see cref="LedgerAs"/> give clients for other principals and scopes.
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    private readonly List<ServiceProcess> processes = [];

    public TestDatabase Database { get; } = new();

    /// <summary>Extra environment for every process started after it is set (configuration overrides).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public ServiceProcess Ledger { get; private set; } = null!;

    public ServiceProcess Api { get; private set; } = null!;

    /// <summary>The Settlement process, once <see cref="StartSettlementAsync"/> has run.</summary>
    public ServiceProcess? Settlement { get; private set; }

    /// <summary>The principal of <see cref="Payments"/> and <see cref="LedgerClient"/>; it holds every scope, accounts:admin included.</summary>
    public const string DefaultPrincipal = "dev";

    public PaymentService.PaymentServiceClient Payments => PaymentsAs(DefaultPrincipal, Scopes.All);

    public LedgerService.LedgerServiceClient LedgerClient => LedgerAs(DefaultPrincipal, Scopes.All);

    /// <summary>A Payment API client whose calls carry a valid token for <paramref name="principal"/> with <paramref name="scopes"/>.</summary>
    public PaymentService.PaymentServiceClient PaymentsAs(string principal, params IEnumerable<string> scopes) =>
        PaymentsWithToken(TestTokens.For(principal, scopes));

    /// <summary>A Ledger client whose calls carry a valid token for <paramref name="principal"/> with <paramref name="scopes"/>.</summary>
    public LedgerService.LedgerServiceClient LedgerAs(string principal, params IEnumerable<string> scopes) =>
        LedgerWithToken(TestTokens.For(principal, scopes));

    /// <summary>A Payment API client sending <paramref name="token"/> as it is (or no authorization header when null).</summary>
    public PaymentService.PaymentServiceClient PaymentsWithToken(string? token) => new(TestTokens.Invoker(Api.Url, token));

    /// <summary>A Ledger client sending <paramref name="token"/> as it is (or no authorization header when null).</summary>
    public LedgerService.LedgerServiceClient LedgerWithToken(string? token) => new(TestTokens.Invoker(Ledger.Url, token));

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Ledger = await StartLedgerAsync();
        await RestartApiAsync();
    }

    /// <summary>Starts a Payment API process and makes it <see cref="Api"/> (the old one, if any, should be dead).</summary>
    public async Task RestartApiAsync() =>
        Api = await StartAsync("Payments.Api", "Payments.Api.dll", "ConnectionStrings__Payments", DatabaseRoles.Api);

    /// <summary>Starts another Ledger process: the active writer if none is, a standby otherwise.</summary>
    public Task<ServiceProcess> StartLedgerAsync() =>
        StartAsync("Ledger", "Payments.Ledger.dll", "ConnectionStrings__Ledger", DatabaseRoles.LedgerWriter);

    /// <summary>
    /// The settlement account of <paramref name="currency"/>: the account <see cref="DefaultPrincipal"/> opens with
    /// request_id "settlement-&lt;currency&gt;". Ids derive from the request, so Settlement can be told it
    /// before the account exists.
    /// </summary>
    public static string SettlementAccountId(string currency) =>
        IntentIds.Account(DefaultPrincipal, SettlementAccountRequestId(currency)).ToString();

    /// <summary>The request_id that opens the settlement account of <paramref name="currency"/>.</summary>
    public static string SettlementAccountRequestId(string currency) => "settlement-" + currency.ToLowerInvariant();

    /// <summary>
    /// Starts (or restarts) Settlement, settling EUR payouts into <see cref="SettlementAccountId"/>;
    /// <paramref name="settings"/> override its configuration (SandboxRail rules, timeouts).
    /// </summary>
    public async Task<ServiceProcess> StartSettlementAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = (settings ?? new Dictionary<string, string>()).Append(new("Settlement__Accounts__EUR", SettlementAccountId("EUR")));
        Settlement = await StartAsync("Settlement", "Payments.Settlement.dll", "ConnectionStrings__Settlement", DatabaseRoles.Settlement, environment);
        return Settlement;
    }

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

    private async Task<ServiceProcess> StartAsync(
        string project, string assembly, string connectionVariable, string role, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        var environment = new Dictionary<string, string>(TestTokens.ServiceEnvironment);
        foreach (var (name, value) in Environment)
        {
            environment[name] = value;
        }

        environment[connectionVariable] = Database.ConnectionString(role);
        foreach (var (name, value) in settings ?? [])
        {
            environment[name] = value;
        }

        var process = await ServiceProcess.StartAsync(project, assembly, environment);
        processes.Add(process);
        return process;
    }
}
