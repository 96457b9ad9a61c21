using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Payments.ServiceDefaults.Caching;

/// <summary>
/// A thread-safe map that holds at most <paramref name="capacity"/> entries: once that many have been added
/// it starts empty again. For facts that are cheap to hold and dear to re-establish (a verified token, an
/// account's owner); starting over costs one more lookup per fact, however keys arrive, and no scan.
/// A capacity of 0 remembers nothing.
/// </summary>
public sealed class BoundedCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> entries = new(comparer);

    // Counts additions, not entries: ConcurrentDictionary.Count takes every lock. Races can let a few more in.
    private int added;

    /// <summary>The value remembered for <paramref name="key"/>, if any.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => entries.TryGetValue(key, out value);

    /// <summary>Remembers <paramref name="value"/> for <paramref name="key"/>.</summary>
    public void Set(TKey key, TValue value)
    {
        if (capacity <= 0)
        {
            return;
        }

        if (Interlocked.Increment(ref added) > capacity)
        {
            entries.Clear();
            Interlocked.Exchange(ref added, 1);
        }

        entries[key] = value;
    }

    /// <summary>Forgets <paramref name="key"/>.</summary>
    public void Remove(TKey key) => entries.TryRemove(key, out _);
}
