using System.Buffers;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Tests;

/// <summary>
/// The request marshaller of every method of every service, fed bytes that are not its message: each
/// either parses or is refused with INVALID_ARGUMENT / REQUEST_MALFORMED, never any other exception.
/// </summary>
public sealed class MalformedRequestsTests
{
    [Fact]
    public void Every_method_refuses_unparseable_bytes_with_invalid_argument_and_its_reason()
    {
        var methods = new FuzzingBinder();
        PaymentService.BindService(methods, null);
        LedgerService.BindService(methods, null);
        Health.BindService(methods, null);
        Assert.Equal(PaymentService.Descriptor.Methods.Count + LedgerService.Descriptor.Methods.Count + Health.Descriptor.Methods.Count, methods.Checked);
    }

    [Fact]
    public void A_valid_message_still_parses_and_the_method_keeps_its_name_and_type()
    {
        var method = new Method<GetPaymentRequest, GetPaymentResponse>(MethodType.Unary, "payments.v1.PaymentService", "GetPayment",
            Marshallers.Create(m => m.ToByteArray(), GetPaymentRequest.Parser.ParseFrom), Marshallers.Create(m => m.ToByteArray(), GetPaymentResponse.Parser.ParseFrom));
        var refusing = MalformedRequests.Refusing(method);

        var request = new GetPaymentRequest { PaymentId = "123e4567-e89b-12d3-a456-426614174000" };
        Assert.Equal(request, refusing.RequestMarshaller.ContextualDeserializer(new Payload(request.ToByteArray())));
        Assert.Equal((method.FullName, method.Type), (refusing.FullName, refusing.Type));
        Assert.Same(method.ResponseMarshaller, refusing.ResponseMarshaller);
    }

    /// <summary>Receives the generated methods as a server would bind them, and fuzzes each one's request parser.</summary>
    private sealed class FuzzingBinder : ServiceBinderBase
    {
        public int Checked { get; private set; }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) => Fuzz(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) => Fuzz(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) => Fuzz(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) => Fuzz(method);

        private void Fuzz<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            var parse = MalformedRequests.Refusing(method).RequestMarshaller.ContextualDeserializer;

            // 0xFF opens a tag of wire type 7, which exists in no message: never parseable, whatever follows.
            AssertMalformed(Assert.Throws<RpcException>(() => parse(new Payload([0xFF, 0x01, 0x02]))));
            Assert.NotNull(parse(new Payload([])));

            var random = new Random(method.FullName.Length);
            for (var attempt = 0; attempt < 2000; attempt++)
            {
                var bytes = new byte[random.Next(1, 64)];
                random.NextBytes(bytes);
                try
                {
                    parse(new Payload(bytes));
                }
                catch (RpcException error)
                {
                    AssertMalformed(error);
                }
            }

            Checked++;
        }

        private static void AssertMalformed(RpcException error)
        {
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            var info = Assert.Single(error.GetRpcStatus()!.Details).Unpack<ErrorInfo>();
            Assert.Equal(("REQUEST_MALFORMED", GrpcErrors.Domain), (info.Reason, info.Domain));
        }
    }

    /// <summary>A received message's bytes, as the server hands them to a request parser.</summary>
    private sealed class Payload(byte[] bytes) : DeserializationContext
    {
        public override int PayloadLength => bytes.Length;

        public override byte[] PayloadAsNewBuffer() => bytes.ToArray();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(bytes);
    }
}
