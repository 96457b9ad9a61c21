using Payments.Contracts.LedgerV1;

namespace Payments.Ledger.Domain;

/// <summary>An intent the ledger refused, so that every intent has exactly one recorded outcome.</summary>
public sealed record Rejection(
    Guid IntentId,
    Guid EventId,
    string IntentType,
    string Ledger,
    ResultCode Code,
    string Principal,
    string? TraceId,
    string IntentJson,
    DateTimeOffset RejectedAt);
