using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Payments.Ledger.Domain;
using Proto = Payments.Contracts.LedgerV1;

namespace Payments.Ledger.Grpc;

/// <summary>Domain records to their wire messages.</summary>
internal static class ProtoMapping
{
    public static Proto.Account ToProto(this Account account) => new()
    {
        Id = account.Id.ToString(),
        Ledger = account.Ledger,
        Currency = account.Currency,
        Owner = account.Owner,
        Flags = new Proto.AccountFlags
        {
            DebitsMustNotExceedCredits = account.Limits.HasFlag(AccountLimits.DebitsMustNotExceedCredits),
            CreditsMustNotExceedDebits = account.Limits.HasFlag(AccountLimits.CreditsMustNotExceedDebits),
        },
        OpenTime = Timestamp.FromDateTimeOffset(account.OpenedAt),
        OpenedByEventId = account.OpenedByEvent.ToString(),
    };

    public static Proto.Account ToProto(this AccountState state)
    {
        var account = state.Account.ToProto();
        account.Status = state.Status switch
        {
            AccountStatus.Frozen => Proto.AccountStatus.Frozen,
            AccountStatus.Closed => Proto.AccountStatus.Closed,
            _ => Proto.AccountStatus.Active,
        };
        return account;
    }

    public static Proto.Balance ToProto(this Balances balances, Guid accountId, string currency, long accountSequence) => new()
    {
        AccountId = accountId.ToString(),
        Currency = currency,
        DebitsPostedMinor = balances.DebitsPosted,
        CreditsPostedMinor = balances.CreditsPosted,
        DebitsPendingMinor = balances.DebitsPending,
        CreditsPendingMinor = balances.CreditsPending,
        PostedMinor = balances.Posted,
        AvailableMinor = balances.Available,
        AccountSequence = accountSequence,
    };

    public static Proto.Entry ToProto(this Entry entry) => new()
    {
        TransferId = entry.TransferId.ToString(),
        AccountId = entry.AccountId.ToString(),
        AccountSequence = entry.AccountSequence,
        LedgerSequence = entry.LedgerSequence,
        Direction = entry.Direction == EntryDirection.Debit ? Proto.EntryDirection.Debit : Proto.EntryDirection.Credit,
        AmountMinor = entry.AmountMinor,
        Currency = entry.Currency,
        BalanceAfter = entry.BalancesAfter.ToProto(entry.AccountId, entry.Currency, entry.AccountSequence),
        CreateTime = Timestamp.FromDateTimeOffset(entry.CreatedAt),
    };

    public static Proto.Transfer ToProto(this Transfer transfer) => new()
    {
        Id = transfer.Id.ToString(),
        Ledger = transfer.Ledger,
        LedgerSequence = transfer.Sequence,
        DebitAccountId = transfer.DebitAccountId.ToString(),
        CreditAccountId = transfer.CreditAccountId.ToString(),
        AmountMinor = transfer.AmountMinor,
        Currency = transfer.Currency,
        Kind = transfer.Kind.ToProto(),
        PendingId = transfer.PendingId?.ToString() ?? string.Empty,
        ReversalOfId = transfer.ReversalOfId?.ToString() ?? string.Empty,
        ExpireTime = transfer.ExpiresAt is { } expiresAt ? Timestamp.FromDateTimeOffset(expiresAt) : null,
        Expired = transfer.Expired,
        EventId = transfer.EventId.ToString(),
        TraceId = transfer.TraceId ?? string.Empty,
        Principal = transfer.Principal,
        CreateTime = Timestamp.FromDateTimeOffset(transfer.CreatedAt),
        Hash = ByteString.CopyFrom(transfer.Hash),
        PrevHash = ByteString.CopyFrom(transfer.PrevHash),
    };
}
