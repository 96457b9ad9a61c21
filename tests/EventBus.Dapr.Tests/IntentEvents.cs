using System.Text.Json.Nodes;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>Intents as the Payment API publishes them, in the CloudEvent form the sidecar delivers.</summary>
public static class IntentEvents
{
    public static (Guid Id, JsonObject CloudEvent) OpenAccount()
    {
        var id = Guid.NewGuid();
        var intent = new AccountOpeningRequested
        {
            AccountId = id.ToString(), Ledger = "main", Currency = "EUR", Owner = "alice", RequestId = id.ToString(),
            Principal = "alice", Flags = new AccountFlags(),
        };
        return (id, DaprDeliveries.CloudEvent(intent, IntentIds.IntentEvent(id), id.ToString()));
    }

    public static (Guid Id, JsonObject CloudEvent) Pay(Guid from, Guid to, long amountMinor)
    {
        var id = Guid.NewGuid();
        var intent = new PaymentRequested
        {
            PaymentId = id.ToString(), RequestId = id.ToString(), Principal = "alice", Ledger = "main",
            DebitAccountId = from.ToString(), CreditAccountId = to.ToString(), AmountMinor = amountMinor, Currency = "EUR",
        };
        return (id, DaprDeliveries.CloudEvent(intent, IntentIds.IntentEvent(id), id.ToString()));
    }

    public static (Guid Id, JsonObject CloudEvent) Freeze(Guid account)
    {
        var id = Guid.NewGuid();
        var intent = new AccountStatusChangeRequested
        {
            ChangeId = id.ToString(), AccountId = account.ToString(), Ledger = "main", Status = AccountStatus.Frozen,
            RequestId = id.ToString(), Principal = "alice",
        };
        return (id, DaprDeliveries.CloudEvent(intent, IntentIds.IntentEvent(id), id.ToString()));
    }
}
