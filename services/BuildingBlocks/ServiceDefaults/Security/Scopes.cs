namespace Payments.ServiceDefaults.Security;

/// <summary>The OAuth scopes of DESIGN.md section 8; a token carries them space-separated in its <c>scope</c> claim.</summary>
public static class Scopes
{
    /// <summary>Create, capture, void and reverse payments.</summary>
    public const string PaymentsWrite = "payments:write";

    /// <summary>Read and watch one's own payments.</summary>
    public const string PaymentsRead = "payments:read";

    /// <summary>Open, freeze, unfreeze and close accounts; also lifts the ownership checks (an operator's scope).</summary>
    public const string AccountsAdmin = "accounts:admin";

    /// <summary>Read accounts, balances, entries and transfers.</summary>
    public const string LedgerRead = "ledger:read";

    /// <summary>Read the audit trail: the audit job's recorded runs over the ledger.</summary>
    public const string AuditRead = "audit:read";

    /// <summary>Every scope, for development tokens and the default test principal.</summary>
    public static IReadOnlyList<string> All { get; } = [PaymentsWrite, PaymentsRead, AccountsAdmin, LedgerRead, AuditRead];
}
