using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>
/// Finds a generated service's methods as Grpc.AspNetCore's own binder does - through the static
/// <c>BindService</c> that the generated base class names in its <see cref="BindServiceMethodAttribute"/> -
/// and binds them through <see cref="MalformedRequestRefusingBinder{TService}"/>.
/// </summary>
internal sealed class MalformedRequestRefusingMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        // A type without the attribute is not a generated service (a ServerServiceDefinition, say): not ours to bind.
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                var bind = attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type])
                    ?? throw new InvalidOperationException($"{attribute.BindType} has no {attribute.BindMethodName}(ServiceBinderBase, {type.Name}).");

                // The generated BindService takes the implementation only to make handlers of it; the binder makes its own.
                bind.Invoke(null, [new MalformedRequestRefusingBinder<TService>(context, type), null]);
                return;
            }
        }
    }
}
