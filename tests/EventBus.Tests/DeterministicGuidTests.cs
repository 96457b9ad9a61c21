namespace Payments.EventBus.Tests;

public sealed class DeterministicGuidTests
{
    [Fact]
    public void Matches_the_version_5_reference_vector()
    {
        // uuid5(NAMESPACE_DNS, "python.org") from Python's uuid module, a widely used reference.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), DeterministicGuid.Create(dns, "python.org"));
    }

    [Fact]
    public void A_retry_maps_to_the_same_payment_and_another_request_does_not()
    {
        Assert.Equal(IntentIds.Payment("alice", "r-1"), IntentIds.Payment("alice", "r-1"));
        Assert.NotEqual(IntentIds.Payment("alice", "r-1"), IntentIds.Payment("alice", "r-2"));
        Assert.NotEqual(IntentIds.Payment("alice", "r-1"), IntentIds.Payment("bob", "r-1"));
        Assert.NotEqual(IntentIds.Payment("ab", "c"), IntentIds.Payment("a", "bc"));
        Assert.NotEqual(IntentIds.Payment("alice", "r-1"), IntentIds.Account("alice", "r-1"));
    }
}
