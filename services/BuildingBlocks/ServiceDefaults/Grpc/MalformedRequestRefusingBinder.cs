using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// Receives each method from a generated <c>BindService</c> and adds it to the endpoint model with the
/// request marshaller of <see cref="MalformedRequests.Refusing"/>. Everything else is what the framework's
/// own binder does: the handler is the service's public override of the generated virtual method (the
/// base's UNIMPLEMENTED one when there is none), and the endpoint carries the attributes of the service
/// and the method plus POST-only routing.
/// </summary>
internal sealed class MalformedRequestRefusingBinder<TService>(ServiceMethodProviderContext<TService> context, Type generatedBase) : ServiceBinderBase
    where TService : class
{
    /// <inheritdoc />
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Bind<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
        context.AddUnaryMethod(MalformedRequests.Refusing(method), metadata, invoker);
    }

    /// <inheritdoc />
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Bind<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        context.AddServerStreamingMethod(MalformedRequests.Refusing(method), metadata, invoker);
    }

    /// <inheritdoc />
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Bind<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
        context.AddClientStreamingMethod(MalformedRequests.Refusing(method), metadata, invoker);
    }

    /// <inheritdoc />
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Bind<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        context.AddDuplexStreamingMethod(MalformedRequests.Refusing(method), metadata, invoker);
    }

    private (TInvoker Invoker, List<object> Metadata) Bind<TInvoker>(string name, params Type[] parameters)
        where TInvoker : Delegate
    {
        var handler = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters);
        if (handler is not { IsVirtual: true } || handler.GetBaseDefinition().DeclaringType != generatedBase)
        {
            throw new InvalidOperationException($"{typeof(TService)} has no public override of {generatedBase}.{name} to bind.");
        }

        // Service attributes first and method attributes last, so the method's win where routing picks one.
        List<object> metadata = [.. typeof(TService).GetCustomAttributes(inherit: true), .. handler.GetCustomAttributes(inherit: true)];
        metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
        return ((TInvoker)Delegate.CreateDelegate(typeof(TInvoker), handler), metadata);
    }
}
