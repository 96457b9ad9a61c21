using Payments.Ledger.Domain;

namespace Payments.Audit.Scan;

/// <summary>An account as the checks need it: its currency and the balance flags it promised to keep.</summary>
internal sealed record AuditedAccount(Guid Id, string Currency, AccountLimits Limits);
