namespace Payments.EventBus;

/// <summary>What a consumer subscribes to and how.</summary>
/// <param name="Consumer">The durable consumer name; progress is recorded under it.</param>
/// <param name="Topic">The topic to read.</param>
public sealed record Subscription(string Consumer, string Topic)
{
    /// <summary>The most events delivered in one batch.</summary>
    public int BatchSizeMax { get; init; } = 512;

    /// <summary>
    /// How long to wait for a short batch to fill before delivering it, in milliseconds (0 = deliver at
    /// once). Larger batches mean fewer commits under load, at the price of up to this much latency.
    /// </summary>
    public int LingerMs { get; init; }

    /// <summary>
    /// When true, at most one instance of the consumer receives events at a time; others wait as
    /// standbys and take over when the active one dies.
    /// </summary>
    public bool Exclusive { get; init; }
}
