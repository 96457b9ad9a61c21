namespace Payments.Faults.Tests.Bank;

/// <summary>
/// How long and how hard a bank run is. The short profile runs inside the test command; the soak runs
/// on its own (<c>scripts/soak.sh</c>, which sets PAYMENTS_FAULT_PROFILE=soak). Every loop is bounded by
/// these numbers and by <see cref="RunTimeout"/>.
/// </summary>
internal sealed record FaultProfile(string Name, int Clients, int OperationsMax, int Faults, TimeSpan PauseMin, TimeSpan PauseMax, TimeSpan RunTimeout)
{
    /// <summary>One fault of each kind, a few thousand operations, about a minute.</summary>
    public static FaultProfile Short { get; } = new("short", Clients: 6, OperationsMax: 3_000, Faults: 6,
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(4));

    /// <summary>Dozens of faults of random kinds over tens of thousands of operations.</summary>
    public static FaultProfile Soak { get; } = new("soak", Clients: 10, OperationsMax: 150_000, Faults: 60,
        TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(45));

    /// <summary>The kinds of fault to inject: all of them unless PAYMENTS_FAULT_KINDS lists some (comma-separated).</summary>
    public Fault[] Kinds { get; init; } = Enum.GetValues<Fault>();

    /// <summary>The profile PAYMENTS_FAULT_PROFILE names (short unless "soak"), limited to PAYMENTS_FAULT_KINDS.</summary>
    public static FaultProfile FromEnvironment()
    {
        var profile = Environment.GetEnvironmentVariable("PAYMENTS_FAULT_PROFILE") == "soak" ? Soak : Short;
        var listed = (Environment.GetEnvironmentVariable("PAYMENTS_FAULT_KINDS") ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<Fault>).ToArray();

        // The short profile injects each kind once.
        return listed.Length == 0 ? profile : profile with { Kinds = listed, Faults = profile == Short ? listed.Length : profile.Faults };
    }

    /// <summary>PAYMENTS_FAULT_SEED when set, so a failing run can be repeated; a fresh seed otherwise.</summary>
    public static int SeedFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("PAYMENTS_FAULT_SEED"), out var seed) ? seed : Random.Shared.Next();
}
