namespace Payments.Benchmarks;

/// <summary>How long and how hard each scenario runs; --quick keeps the whole run within three minutes.</summary>
internal sealed record Settings(
    int NaiveSeconds, int CeilingTransfers, int CoreTransfers, int WarmUpSeconds, int EndToEndSeconds, int Clients, int BatchClients)
{
    public const int Accounts = 1000;
    public const int HotAccounts = 10;
    public const int BatchItems = 100;
    public const int WriterBatchSizeMax = 4096;

    public static Settings Quick { get; } = new(NaiveSeconds: 4, CeilingTransfers: 20_000, CoreTransfers: 20_000, WarmUpSeconds: 3, EndToEndSeconds: 5, Clients: 64, BatchClients: 4);

    public static Settings Full { get; } = new(NaiveSeconds: 15, CeilingTransfers: 200_000, CoreTransfers: 200_000, WarmUpSeconds: 5, EndToEndSeconds: 20, Clients: 128, BatchClients: 8);
}
