using Payments.ServiceDefaults.Caching;

namespace Payments.ServiceDefaults.Tests;

public sealed class BoundedCacheTests
{
    [Fact]
    public void A_value_set_is_found_until_it_is_removed()
    {
        var cache = new BoundedCache<string, int>(capacity: 10);
        cache.Set("a", 1);

        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal(1, value);
        cache.Remove("a");
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Adding_past_the_capacity_starts_over_with_the_newest_entry()
    {
        var cache = new BoundedCache<int, int>(capacity: 3);
        for (var i = 0; i < 4; i++)
        {
            cache.Set(i, i);
        }

        Assert.True(cache.TryGet(3, out _));
        Assert.All(new[] { 0, 1, 2 }, key => Assert.False(cache.TryGet(key, out _)));
    }

    [Fact]
    public void Capacity_zero_remembers_nothing()
    {
        var cache = new BoundedCache<int, int>(capacity: 0);
        cache.Set(1, 1);

        Assert.False(cache.TryGet(1, out _));
    }

    [Fact]
    public void The_comparer_decides_which_keys_are_the_same()
    {
        var cache = new BoundedCache<string, int>(capacity: 10, StringComparer.Ordinal);
        cache.Set("token", 1);

        Assert.False(cache.TryGet("TOKEN", out _));
    }
}
