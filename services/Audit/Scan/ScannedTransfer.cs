using Payments.Ledger.Domain;

namespace Payments.Audit.Scan;

/// <summary>
/// A transfer with the entries found at its ledger sequence. Either entry may be missing and strangers may
/// stand in its place (<see cref="Strays"/>): the scan reports what it finds, it does not assume.
/// </summary>
internal sealed record ScannedTransfer(TransferRow Row, Entry? Debit, Entry? Credit, IReadOnlyList<Entry> Strays)
{
    /// <summary>The transfer as the ledger's hasher sees it, or null when an entry is missing.</summary>
    public Transfer? ToDomain() => Debit is null || Credit is null
        ? null
        : new Transfer(Row.Id, Row.Ledger, Row.Sequence, Row.DebitAccountId, Row.CreditAccountId, Row.AmountMinor, Row.Currency,
            Row.Kind, Row.EventId, Row.TraceId, Row.Principal, Row.CreatedAt, Debit, Credit, Row.PrevHash, Row.Hash)
        {
            PendingId = Row.PendingId,
            ReversalOfId = Row.ReversalOfId,
            ExpiresAt = Row.ExpiresAt,
            Expired = Row.Expired,
        };
}
