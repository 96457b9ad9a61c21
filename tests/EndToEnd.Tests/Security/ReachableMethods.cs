using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>Every method a caller can reach: both services' own, and the anonymous health and reflection services of each process.</summary>
internal static class ReachableMethods
{
    /// <summary>A method, the server that serves it, and its path (<c>/package.Service/Method</c>).</summary>
    public sealed record Reachable(Uri Server, MethodDescriptor Method)
    {
        public string Path => $"/{Method.Service.FullName}/{Method.Name}";
    }

    /// <summary>The methods of the platform's own two services, each on the server that serves it.</summary>
    public static IEnumerable<Reachable> Own(Platform platform) =>
        PaymentService.Descriptor.Methods.Select(method => new Reachable(platform.Api.Url, method))
            .Concat(LedgerService.Descriptor.Methods.Select(method => new Reachable(platform.Ledger.Url, method)));

    /// <summary>Every method a caller can reach: the own services plus health and reflection on both servers.</summary>
    public static IEnumerable<Reachable> Of(Platform platform)
    {
        var shared = from server in new[] { platform.Api.Url, platform.Ledger.Url }
                     from method in Health.Descriptor.Methods.Concat(ServerReflection.Descriptor.Methods)
                     select new Reachable(server, method);
        return Own(platform).Concat(shared);
    }
}
