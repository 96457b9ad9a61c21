namespace Payments.Ledger;

/// <summary>Configuration section <c>Ledger</c>.</summary>
public sealed class LedgerOptions
{
    /// <summary>The ledger this instance writes and serves.</summary>
    public string Name { get; set; } = "main";

    /// <summary>The most intents applied in one transaction.</summary>
    public int BatchSizeMax { get; set; } = 512;

    /// <summary>How long a short batch may wait to fill, in milliseconds; 0 applies what is there at once.</summary>
    public int BatchLingerMs { get; set; }

    /// <summary>How often the clock looks for holds that are due.</summary>
    public int ClockIntervalMs { get; set; } = 500;

    /// <summary>The longest an OpenAccount call waits for the writer, whatever the call deadline.</summary>
    public int OutcomeWaitMaxMs { get; set; } = 30_000;
}
