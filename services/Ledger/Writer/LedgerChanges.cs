using Payments.EventBus;
using Payments.Ledger.Domain;

namespace Payments.Ledger.Writer;

/// <summary>Everything one batch adds to the ledger, written in one transaction.</summary>
internal sealed class LedgerChanges
{
    /// <summary>Accounts opened by the batch.</summary>
    public List<Account> OpenedAccounts { get; } = [];

    /// <summary>Account status changes of the batch.</summary>
    public List<AccountEvent> AccountEvents { get; } = [];

    /// <summary>Transfers committed by the batch, in commit order.</summary>
    public List<Transfer> Transfers { get; } = [];

    /// <summary>Payouts reserved by the batch (their pending transfers are in <see cref="Transfers"/>).</summary>
    public List<Payout> Payouts { get; } = [];

    /// <summary>Clock ticks the batch applied.</summary>
    public List<AppliedTick> Ticks { get; } = [];

    /// <summary>Intents the batch refused.</summary>
    public List<Rejection> Rejections { get; } = [];

    /// <summary>Outcome events for the ledger topic (the outbox).</summary>
    public List<EventEnvelope> Outcomes { get; } = [];
}
