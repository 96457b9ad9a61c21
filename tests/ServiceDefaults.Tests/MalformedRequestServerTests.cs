using System.Net;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Contracts.PaymentsV1;

namespace Payments.ServiceDefaults.Tests;

/// <summary>
/// What ASP.NET Core gRPC really answers to bytes that do not parse, on a Kestrel server in this process:
/// UNKNOWN without details on its own, INVALID_ARGUMENT with REQUEST_MALFORMED under the service defaults,
/// for unary and server-streaming methods and for the health service alike. No handler runs.
/// </summary>
public sealed class MalformedRequestServerTests
{
    private static readonly byte[] Garbage = [0xFF, 0x13, 0x37, 0x00, 0x42];

    [Theory]
    [InlineData("payments.v1.PaymentService", "GetPayment", MethodType.Unary)]
    [InlineData("payments.v1.PaymentService", "WatchPayment", MethodType.ServerStreaming)]
    [InlineData("grpc.health.v1.Health", "Check", MethodType.Unary)]
    public async Task Under_the_service_defaults_garbage_is_invalid_argument_and_no_handler_runs(string service, string method, MethodType type)
    {
        await using var server = await Server.StartAsync(builder => builder.AddServiceDefaults());

        var error = await Assert.ThrowsAsync<RpcException>(() => server.CallAsync(service, method, type, Garbage));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var info = Assert.Single(error.GetRpcStatus()!.Details).Unpack<ErrorInfo>();
        Assert.Equal("REQUEST_MALFORMED", info.Reason);
        Assert.Equal(0, server.Payments.Calls);
    }

    [Fact]
    public async Task Under_the_service_defaults_a_well_formed_call_after_garbage_reaches_the_service()
    {
        await using var server = await Server.StartAsync(builder => builder.AddServiceDefaults());
        await Assert.ThrowsAsync<RpcException>(() => server.CallAsync("payments.v1.PaymentService", "GetPayment", MethodType.Unary, Garbage));

        // No token: the authorization interceptor refuses it, which proves the call was parsed and dispatched.
        var refused = await Assert.ThrowsAsync<RpcException>(() => server.CallAsync(
            "payments.v1.PaymentService", "GetPayment", MethodType.Unary, new GetPaymentRequest { PaymentId = "p" }.ToByteArray()));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task The_framework_alone_answers_unknown_which_is_why_the_defaults_rebind()
    {
        await using var server = await Server.StartAsync(builder =>
        {
            builder.Services.AddGrpc();
            builder.Services.AddGrpcHealthChecks();
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => server.CallAsync("payments.v1.PaymentService", "GetPayment", MethodType.Unary, Garbage));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Null(error.GetRpcStatus());
        Assert.Equal(0, server.Payments.Calls);

        await server.CallAsync("payments.v1.PaymentService", "GetPayment", MethodType.Unary, new GetPaymentRequest().ToByteArray());
        Assert.Equal(1, server.Payments.Calls);
    }

    /// <summary>A PaymentService that only counts the calls that reach it.</summary>
    private sealed class CountingPayments : PaymentService.PaymentServiceBase
    {
        private int calls;

        public int Calls => calls;

        public override Task<GetPaymentResponse> GetPayment(GetPaymentRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new GetPaymentResponse());
        }

        public override Task WatchPayment(WatchPaymentRequest request, IServerStreamWriter<WatchPaymentResponse> responseStream, ServerCallContext context)
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        }
    }

    /// <summary>Kestrel on a loopback port with <see cref="CountingPayments"/> and the health service, and a raw-bytes client.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

        private readonly WebApplication app;
        private readonly GrpcChannel channel;

        private Server(WebApplication app, CountingPayments payments)
        {
            this.app = app;
            Payments = payments;
            channel = GrpcChannel.ForAddress(app.Urls.Single());
        }

        public CountingPayments Payments { get; }

        public static async Task<Server> StartAsync(Action<WebApplicationBuilder> configure)
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            configure(builder);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
            var payments = new CountingPayments();
            builder.Services.AddSingleton(payments);

            var app = builder.Build();
            app.MapGrpcService<CountingPayments>();
            app.MapGrpcHealthChecksService();
            await app.StartAsync();
            return new Server(app, payments);
        }

        /// <summary>Sends <paramref name="message"/> as the one request message of the method and reads its answer to the end.</summary>
        public async Task CallAsync(string service, string name, MethodType type, byte[] message)
        {
            var method = new Method<byte[], byte[]>(type, service, name, Bytes, Bytes);
            var invoker = channel.CreateCallInvoker();
            var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10));
            if (type == MethodType.Unary)
            {
                await invoker.AsyncUnaryCall(method, null, options, message);
                return;
            }

            using var call = invoker.AsyncServerStreamingCall(method, null, options, message);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            channel.Dispose();
            await app.DisposeAsync();
        }
    }
}
