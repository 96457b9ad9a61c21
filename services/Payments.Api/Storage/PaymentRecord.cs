using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;

namespace Payments.Api.Storage;

/// <summary>A payment as the platform recorded it: the intent from the log and the ledger's outcome, if any.</summary>
/// <param name="Intent">The intent as first published; a retry never replaces it.</param>
/// <param name="AcceptedAt">When the intent was accepted.</param>
/// <param name="Status">ACCEPTED, POSTED or REJECTED.</param>
/// <param name="RejectionCode">Why the ledger refused it, when REJECTED.</param>
/// <param name="LedgerSequence">The transfer's commit sequence, when POSTED.</param>
internal sealed record PaymentRecord(
    PaymentRequested Intent, DateTimeOffset AcceptedAt, PaymentStatus Status, ResultCode RejectionCode, long LedgerSequence)
{
    /// <summary>True once the ledger has decided.</summary>
    public bool IsDecided => Status != PaymentStatus.Accepted;

    /// <summary>The wire form.</summary>
    public Payment ToProto() => new()
    {
        Id = Intent.PaymentId,
        RequestId = Intent.RequestId,
        DebitAccountId = Intent.DebitAccountId,
        CreditAccountId = Intent.CreditAccountId,
        AmountMinor = Intent.AmountMinor,
        Currency = Intent.Currency,
        Status = Status,
        RejectionCode = RejectionCode,
        LedgerSequence = LedgerSequence,
        CreateTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(AcceptedAt),
    };
}
