namespace Payments.Api;

/// <summary>Configuration section <c>Payments</c>.</summary>
public sealed class PaymentApiOptions
{
    /// <summary>The ledger payments are posted to.</summary>
    public string Ledger { get; set; } = "main";

    /// <summary>The longest CreatePayment waits for the ledger's outcome, whatever the call deadline.</summary>
    public int OutcomeWaitMaxMs { get; set; } = 30_000;

    /// <summary>The longest a WatchPayment stream lasts, whatever its deadline; the client then watches again.</summary>
    public int WatchDurationMaxSeconds { get; set; } = 3600;

    /// <summary>How many WatchPayment streams one principal may hold open in one API process.</summary>
    public int WatchesPerPrincipalMax { get; set; } = 100;

    /// <summary>How many account owners the ownership check remembers (owners never change); 0 reads every call.</summary>
    public int AccountOwnerCacheSize { get; set; } = 100_000;
}
