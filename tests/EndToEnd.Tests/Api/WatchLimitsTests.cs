using Google.Rpc;
using Grpc.Core;
using Payments.Api;
using Payments.Api.Payments;

namespace Payments.EndToEnd.Tests.Api;

/// <summary>A principal holds a bounded number of watches open; one that ends makes room for another.</summary>
public sealed class WatchLimitsTests
{
    [Fact]
    public void A_principal_past_its_open_watches_is_refused_until_one_ends()
    {
        var limits = new WatchLimits(Microsoft.Extensions.Options.Options.Create(new PaymentApiOptions { WatchesPerPrincipalMax = 2 }));
        var first = limits.Open("alice");
        using var second = limits.Open("alice");

        var refused = Assert.Throws<RpcException>(() => limits.Open("alice"));
        using var others = limits.Open("bob");
        first.Dispose();
        first.Dispose();
        using var third = limits.Open("alice");

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        // Disposed twice, the first watch gave back one place, not two.
        Assert.Throws<RpcException>(() => limits.Open("alice"));
    }
}
