namespace Payments.EventBus;

/// <summary>
/// The ids of intents and of the events that carry them. Both are derived, never random: a retried
/// request maps to the same intent id and the same event id, so the log dedupes it (AIP-155).
/// </summary>
public static class IntentIds
{
    private static readonly Guid PaymentNamespace = new("6f1c9f0e-3c55-4f7e-9a43-1d0a6f2b7c01");
    private static readonly Guid AccountNamespace = new("0b7e4c1d-8a2f-4d6b-b1e9-5c3a7d9e2f02");
    private static readonly Guid AccountChangeNamespace = new("5a8c3e2f-1b4d-4f6a-9c7e-2d0b8f4a6c04");

    /// <summary>The payment id of <paramref name="principal"/>'s request <paramref name="requestId"/>.</summary>
    public static Guid Payment(string principal, string requestId) =>
        DeterministicGuid.Create(PaymentNamespace, Name(principal, requestId));

    /// <summary>The account id of <paramref name="principal"/>'s request <paramref name="requestId"/>.</summary>
    public static Guid Account(string principal, string requestId) =>
        DeterministicGuid.Create(AccountNamespace, Name(principal, requestId));

    /// <summary>The id of <paramref name="principal"/>'s account status change <paramref name="requestId"/>.</summary>
    public static Guid AccountChange(string principal, string requestId) =>
        DeterministicGuid.Create(AccountChangeNamespace, Name(principal, requestId));

    /// <summary>
    /// The id of the event that carries intent <paramref name="intentId"/>. It does not depend on the
    /// intent's type, so a second intent under the same id, of any kind, collides in the log and is
    /// recognised as a retry or a conflict.
    /// </summary>
    public static Guid IntentEvent(Guid intentId) => Event(intentId, "intent");

    /// <summary>The id of the event of type <paramref name="eventType"/> about <paramref name="subjectId"/>.</summary>
    public static Guid Event(Guid subjectId, string eventType) => DeterministicGuid.Create(subjectId, eventType);

    // Length-prefixing the principal keeps ("ab", "c") and ("a", "bc") apart.
    private static string Name(string principal, string requestId) => $"{principal.Length}:{principal}{requestId}";
}
