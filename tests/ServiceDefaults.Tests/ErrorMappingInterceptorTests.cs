using Google.Rpc;
using Grpc.Core;
using Status = Grpc.Core.Status;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Tests;

public sealed class ErrorMappingInterceptorTests
{
    private static readonly ErrorMappingInterceptor Interceptor = new(NullLogger<ErrorMappingInterceptor>.Instance);

    [Fact]
    public async Task A_database_lost_during_a_unary_call_is_unavailable_with_its_reason()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor.UnaryServerHandler<string, string>(
            "request", new CallContext(), (_, _) => throw LostConnection()));

        AssertUnavailable(error);
    }

    [Fact]
    public async Task A_database_lost_while_a_watch_streams_is_unavailable_too_not_unknown()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor.ServerStreamingServerHandler<string, string>(
            "request", null!, new CallContext(), (_, _, _) => throw LostConnection()));

        AssertUnavailable(error);
    }

    [Fact]
    public async Task Other_failures_pass_through_unchanged()
    {
        var refusal = new RpcException(new Status(StatusCode.InvalidArgument, "bad"));
        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor.ServerStreamingServerHandler<string, string>(
            "request", null!, new CallContext(), (_, _, _) => throw refusal));

        Assert.Same(refusal, error);
    }

    private static NpgsqlException LostConnection() =>
        new("Exception while reading from stream", new System.Net.Sockets.SocketException());

    private static void AssertUnavailable(RpcException error)
    {
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("DATABASE_UNAVAILABLE", Assert.Single(error.GetRpcStatus()!.Details).Unpack<ErrorInfo>().Reason);
    }

    // Only the method name is read, for the log line.
    private sealed class CallContext : ServerCallContext
    {
        protected override string MethodCore => "/payments.v1.PaymentService/WatchPayment";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
            throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
