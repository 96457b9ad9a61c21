using Google.Rpc;
using Grpc.Core;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>Asserts the exact status and the one ErrorInfo reason of a refused call.</summary>
internal static class Refusals
{
    public static async Task AssertAsync(StatusCode status, string reason, Func<Task> call, string because = "")
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(status == error.StatusCode, $"{because}: expected {status}, got {error.StatusCode} ({error.Status.Detail})");
        var details = error.GetRpcStatus();
        Assert.NotNull(details);
        Assert.Equal(reason, Assert.Single(details.Details.Select(d => d.Unpack<ErrorInfo>())).Reason);
    }
}
