using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// The scope each RPC requires (docs/security.md). A method missing from this table is refused for
/// everyone, so a new RPC is closed until someone decides who may call it; only health checks and
/// server reflection are anonymous.
/// </summary>
public static class MethodScopes
{
    private static readonly string[] AnonymousServices = ["/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/", "/grpc.reflection.v1.ServerReflection/"];

    /// <summary>Full gRPC method name (<c>/package.Service/Method</c>) to the scope it requires.</summary>
    public static IReadOnlyDictionary<string, string> Required { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Name(PaymentService.Descriptor, "CreatePayment")] = Scopes.PaymentsWrite,
        [Name(PaymentService.Descriptor, "CreatePayments")] = Scopes.PaymentsWrite,
        [Name(PaymentService.Descriptor, "CapturePayment")] = Scopes.PaymentsWrite,
        [Name(PaymentService.Descriptor, "VoidPayment")] = Scopes.PaymentsWrite,
        [Name(PaymentService.Descriptor, "ReversePayment")] = Scopes.PaymentsWrite,
        [Name(PaymentService.Descriptor, "GetPayment")] = Scopes.PaymentsRead,
        [Name(PaymentService.Descriptor, "ListPayments")] = Scopes.PaymentsRead,
        [Name(PaymentService.Descriptor, "WatchPayment")] = Scopes.PaymentsRead,
        [Name(LedgerService.Descriptor, "OpenAccount")] = Scopes.AccountsAdmin,
        [Name(LedgerService.Descriptor, "FreezeAccount")] = Scopes.AccountsAdmin,
        [Name(LedgerService.Descriptor, "UnfreezeAccount")] = Scopes.AccountsAdmin,
        [Name(LedgerService.Descriptor, "CloseAccount")] = Scopes.AccountsAdmin,
        [Name(LedgerService.Descriptor, "GetAccount")] = Scopes.LedgerRead,
        [Name(LedgerService.Descriptor, "GetBalance")] = Scopes.LedgerRead,
        [Name(LedgerService.Descriptor, "ListEntries")] = Scopes.LedgerRead,
        [Name(LedgerService.Descriptor, "GetTransfer")] = Scopes.LedgerRead,
        [Name(LedgerService.Descriptor, "ListAuditRuns")] = Scopes.AuditRead,
    };

    /// <summary>True for the health and reflection services, which answer without a token.</summary>
    public static bool IsAnonymous(string method) => AnonymousServices.Any(prefix => method.StartsWith(prefix, StringComparison.Ordinal));

    private static string Name(Google.Protobuf.Reflection.ServiceDescriptor service, string method) =>
        $"/{service.FullName}/{service.FindMethodByName(method)?.Name ?? throw new InvalidOperationException($"{service.FullName} has no method {method}.")}";
}
