using Payments.Contracts.LedgerV1;

namespace Payments.Ledger.Tests.Properties;

/// <summary>
/// A small reference ledger in memory, written from the documented rules (DESIGN.md section 4 and the
/// result codes' comments) without reusing the production validators, so that agreement between the two
/// means something. It answers what each intent should produce and what every balance should be.
/// </summary>
internal sealed class LedgerModel
{
    public sealed class Account(string currency, bool noOverdraft, bool noCreditExcess)
    {
        public string Currency { get; } = currency;
        public bool NoOverdraft { get; } = noOverdraft;
        public bool NoCreditExcess { get; } = noCreditExcess;
        public string Status { get; set; } = "ACTIVE";
        public long DebitsPosted { get; set; }
        public long CreditsPosted { get; set; }
        public long DebitsPending { get; set; }
        public long CreditsPending { get; set; }
    }

    private sealed record HeldFunds(Guid Debit, Guid Credit, long Amount, DateTimeOffset ExpiresAt)
    {
        public string Resolution { get; set; } = "OPEN";

        public bool IsPayout { get; init; }
    }

    private sealed record Posted(Guid Debit, Guid Credit, long Amount, bool Reversible)
    {
        public long Reversed { get; set; }
    }

    private readonly Dictionary<Guid, HeldFunds> holds = [];
    private readonly Dictionary<Guid, Posted> transfers = [];
    private readonly Dictionary<Guid, ResultCode> settlements = [];

    public Dictionary<Guid, Account> Accounts { get; } = [];

    public ResultCode Open(Guid id, string currency, bool noOverdraft, bool noCreditExcess)
    {
        Accounts[id] = new Account(currency, noOverdraft, noCreditExcess);
        return ResultCode.Ok;
    }

    public ResultCode SetStatus(Guid account, string status)
    {
        if (!Accounts.TryGetValue(account, out var a))
        {
            return ResultCode.AccountNotFound;
        }

        if (a.Status == "CLOSED")
        {
            return ResultCode.AccountClosed;
        }

        a.Status = status;
        return ResultCode.Ok;
    }

    public ResultCode Pay(Guid id, Guid from, Guid to, long amount, string currency)
    {
        var code = Movement(from, to, amount, currency);
        if (code == ResultCode.Ok)
        {
            Accounts[from].DebitsPosted += amount;
            Accounts[to].CreditsPosted += amount;
            transfers[id] = new Posted(from, to, amount, Reversible: true);
        }

        return code;
    }

    public ResultCode Hold(Guid id, Guid from, Guid to, long amount, string currency, TimeSpan timeout, DateTimeOffset at)
    {
        var code = timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromDays(30) ? ResultCode.TimeoutInvalid : Movement(from, to, amount, currency);
        if (code == ResultCode.Ok)
        {
            Accounts[from].DebitsPending += amount;
            Accounts[to].CreditsPending += amount;
            holds[id] = new HeldFunds(from, to, amount, at + timeout);
            transfers[id] = new Posted(from, to, amount, Reversible: false);
        }

        return code;
    }

    /// <summary>A payout reserves like a hold; only its settlement result or its expiry resolves it.</summary>
    public ResultCode Payout(Guid id, Guid from, Guid to, long amount, TimeSpan timeout, DateTimeOffset at)
    {
        var code = Hold(id, from, to, amount, "EUR", timeout, at);
        if (code == ResultCode.Ok)
        {
            holds[id] = holds[id] with { IsPayout = true };
        }

        return code;
    }

    /// <summary>
    /// The rail's result for <paramref name="payoutId"/>: the first one decides (later ones change nothing
    /// and report the first outcome). Paid posts the whole reservation whatever the accounts' status.
    /// </summary>
    public ResultCode Settle(Guid payoutId, bool paid, DateTimeOffset at)
    {
        if (settlements.TryGetValue(payoutId, out var first))
        {
            return first;
        }

        var code = !holds.TryGetValue(payoutId, out var payout) || !payout.IsPayout ? ResultCode.PayoutNotFound : OpenHold(payoutId, at);
        if (code == ResultCode.Ok)
        {
            Release(payout!);
            payout!.Resolution = paid ? "POSTED" : "VOIDED";
            if (paid)
            {
                Accounts[payout.Debit].DebitsPosted += payout.Amount;
                Accounts[payout.Credit].CreditsPosted += payout.Amount;
                // Reversing the payout reverses this posting.
                transfers[payoutId] = new Posted(payout.Debit, payout.Credit, payout.Amount, Reversible: true);
            }
        }

        settlements[payoutId] = code;
        return code;
    }

    public ResultCode Capture(Guid id, Guid holdId, long amount, DateTimeOffset at)
    {
        if (holds.TryGetValue(holdId, out var payout) && payout.IsPayout)
        {
            return ResultCode.HoldIsPayout;
        }

        var code = OpenHold(holdId, at);
        if (code != ResultCode.Ok)
        {
            return code;
        }

        var hold = holds[holdId];
        if (amount < 0)
        {
            return ResultCode.AmountMustBePositive;
        }

        if (amount > hold.Amount)
        {
            return ResultCode.ExceedsPendingAmount;
        }

        if (Accounts[hold.Debit].Status == "CLOSED" || Accounts[hold.Credit].Status == "CLOSED")
        {
            return ResultCode.AccountClosed;
        }

        var posted = amount == 0 ? hold.Amount : amount;
        Release(hold);
        Accounts[hold.Debit].DebitsPosted += posted;
        Accounts[hold.Credit].CreditsPosted += posted;
        hold.Resolution = "POSTED";
        transfers[id] = new Posted(hold.Debit, hold.Credit, posted, Reversible: true);
        return ResultCode.Ok;
    }

    public ResultCode Void(Guid id, Guid holdId, DateTimeOffset at)
    {
        if (holds.TryGetValue(holdId, out var payout) && payout.IsPayout)
        {
            return ResultCode.HoldIsPayout;
        }

        var code = OpenHold(holdId, at);
        if (code == ResultCode.Ok)
        {
            Release(holds[holdId]);
            holds[holdId].Resolution = "VOIDED";
            transfers[id] = new Posted(holds[holdId].Debit, holds[holdId].Credit, holds[holdId].Amount, Reversible: false);
        }

        return code;
    }

    public ResultCode Reverse(Guid id, Guid originalId, long amount)
    {
        if (!transfers.TryGetValue(originalId, out var original))
        {
            return ResultCode.ReversalTargetNotFound;
        }

        if (!original.Reversible)
        {
            return ResultCode.ReversalTargetNotReversible;
        }

        if (amount < 0)
        {
            return ResultCode.AmountMustBePositive;
        }

        var remaining = original.Amount - original.Reversed;
        var moved = amount == 0 ? remaining : amount;
        if (moved == 0 || moved > remaining)
        {
            return ResultCode.ExceedsReversibleAmount;
        }

        var code = Movement(original.Credit, original.Debit, moved, Accounts[original.Debit].Currency);
        if (code == ResultCode.Ok)
        {
            Accounts[original.Credit].DebitsPosted += moved;
            Accounts[original.Debit].CreditsPosted += moved;
            original.Reversed += moved;
            transfers[id] = new Posted(original.Credit, original.Debit, moved, Reversible: false);
        }

        return code;
    }

    /// <summary>Releases every open hold due at <paramref name="now"/>; returns their ids.</summary>
    public List<Guid> Tick(DateTimeOffset now)
    {
        var due = holds.Where(h => h.Value.Resolution == "OPEN" && h.Value.ExpiresAt <= now).Select(h => h.Key).ToList();
        foreach (var id in due)
        {
            Release(holds[id]);
            holds[id].Resolution = "EXPIRED";
        }

        return due;
    }

    private ResultCode OpenHold(Guid holdId, DateTimeOffset at) =>
        !holds.TryGetValue(holdId, out var hold) ? ResultCode.PendingTransferNotFound
        : hold.Resolution == "POSTED" ? ResultCode.AlreadyPosted
        : hold.Resolution == "VOIDED" ? ResultCode.AlreadyVoided
        : hold.Resolution == "EXPIRED" || at >= hold.ExpiresAt ? ResultCode.PendingTransferExpired
        : ResultCode.Ok;

    private void Release(HeldFunds hold)
    {
        Accounts[hold.Debit].DebitsPending -= hold.Amount;
        Accounts[hold.Credit].CreditsPending -= hold.Amount;
    }

    private ResultCode Movement(Guid from, Guid to, long amount, string currency)
    {
        if (amount <= 0)
        {
            return ResultCode.AmountMustBePositive;
        }

        if (from == to)
        {
            return ResultCode.AccountsMustBeDifferent;
        }

        if (!Accounts.TryGetValue(from, out var debit))
        {
            return ResultCode.DebitAccountNotFound;
        }

        if (!Accounts.TryGetValue(to, out var credit))
        {
            return ResultCode.CreditAccountNotFound;
        }

        if (debit.Currency != currency || credit.Currency != currency)
        {
            return ResultCode.CurrencyMismatch;
        }

        if (debit.Status == "CLOSED" || credit.Status == "CLOSED")
        {
            return ResultCode.AccountClosed;
        }

        if (debit.Status == "FROZEN")
        {
            return ResultCode.AccountFrozen;
        }

        if ((decimal)debit.DebitsPosted + debit.DebitsPending + amount > long.MaxValue
            || (decimal)credit.CreditsPosted + credit.CreditsPending + amount > long.MaxValue)
        {
            return ResultCode.Overflow;
        }

        if (debit.NoOverdraft && debit.DebitsPosted + debit.DebitsPending + amount > debit.CreditsPosted)
        {
            return ResultCode.ExceedsCredits;
        }

        if (credit.NoCreditExcess && credit.CreditsPosted + credit.CreditsPending + amount > credit.DebitsPosted)
        {
            return ResultCode.ExceedsDebits;
        }

        return ResultCode.Ok;
    }
}
