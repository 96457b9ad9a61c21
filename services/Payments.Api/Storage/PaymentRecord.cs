using Google.Protobuf;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;

namespace Payments.Api.Storage;

/// <summary>A payment as the platform recorded it: its first intent from the log and the ledger's outcome.</summary>
internal sealed record PaymentRecord
{
    /// <summary>The intent as first published; a retry never replaces it.</summary>
    public required IMessage Intent { get; init; }

    /// <summary>The intent's position in the log, when read from it; orders listings and anchors page tokens.</summary>
    public long LogSequence { get; init; }

    /// <summary>The payment as the API shows it.</summary>
    public required Payment Payment { get; init; }

    /// <summary>True once the ledger has decided.</summary>
    public bool IsDecided => Payment.Status != PaymentStatus.Accepted;

    /// <summary>The principal that made the payment: every intent names it in its <c>principal</c> field.</summary>
    public string Principal => Intent.Descriptor.FindFieldByName("principal")?.Accessor.GetValue(Intent) as string ?? string.Empty;

    /// <summary>The status.</summary>
    public PaymentStatus Status => Payment.Status;

    /// <summary>Why the ledger refused it, when REJECTED.</summary>
    public ResultCode RejectionCode => Payment.RejectionCode;
}
