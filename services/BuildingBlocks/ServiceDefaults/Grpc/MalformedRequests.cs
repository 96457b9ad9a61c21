using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts.LedgerV1;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// Requests whose bytes are not the message they claim to be. ASP.NET Core gRPC parses a request before
/// any interceptor or handler runs, and reports whatever the parser throws as UNKNOWN ("Exception was
/// thrown by handler") - except an <see cref="RpcException"/>, whose status and trailers it sends as they
/// are. So every method is bound with a request marshaller whose parse failure is that exception:
/// INVALID_ARGUMENT with the reason REQUEST_MALFORMED, before anything is read or written.
/// </summary>
public static class MalformedRequests
{
    // The framework's own binder, which binds methods with the generated marshallers as they are.
    private static readonly Type FrameworkBinder = typeof(ServiceMethodProviderContext<>).Assembly
        .GetType("Grpc.AspNetCore.Server.Model.Internal.BinderServiceMethodProvider`1", throwOnError: false)
        ?? throw new InvalidOperationException("Grpc.AspNetCore no longer has BinderServiceMethodProvider; revisit MalformedRequests.");

    /// <summary>
    /// Binds every gRPC service (ours, health and reflection) with <see cref="MalformedRequestRefusingMethodProvider{TService}"/>
    /// in place of the framework's binder. Call it after the last <c>AddGrpc</c>: a later one would add the
    /// framework's binder back, and every method would then be mapped twice.
    /// </summary>
    public static IServiceCollection RefuseMalformedRequests(this IServiceCollection services)
    {
        var binders = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType == FrameworkBinder).ToList();
        if (binders.Count == 0)
        {
            throw new InvalidOperationException("The framework's gRPC binder is not registered; call AddGrpc first.");
        }

        binders.ForEach(binder => services.Remove(binder));
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(MalformedRequestRefusingMethodProvider<>));
        return services;
    }

    /// <summary><paramref name="method"/> with a request marshaller that refuses bytes its parser cannot read.</summary>
    public static Method<TRequest, TResponse> Refusing<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var requests = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, payload =>
        {
            try
            {
                return parse(payload);
            }
            catch (InvalidProtocolBufferException exception)
            {
                throw GrpcErrors.For(ResultCode.RequestMalformed, $"The request is not a valid {typeof(TRequest).Name}: {exception.Message}");
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
    }
}
