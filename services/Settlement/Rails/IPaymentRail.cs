using System.Threading.Channels;

namespace Payments.Settlement.Rails;

/// <summary>
/// An external payment rail (a bank's payout API). Implementations talk to one rail; Settlement gives
/// every payout its payment id as idempotency key, so retrying a call never pays twice.
/// </summary>
public interface IPaymentRail
{
    /// <summary>The rail's name, recorded with each result.</summary>
    string Name { get; }

    /// <summary>
    /// Asks the rail to pay. A repeat with the same idempotency key returns the first answer and pays
    /// nothing more. Throws <see cref="RailUnavailableException"/> when the rail failed transiently, and
    /// <see cref="OperationCanceledException"/> when cancelled (the caller retries with the same key).
    /// </summary>
    Task<RailAnswer> PayAsync(RailPayout payout, CancellationToken cancellationToken);

    /// <summary>
    /// What the rail decided for <paramref name="idempotencyKey"/>: its answer, or null when it never took
    /// that payout. Settlement asks before it reports a failure it cannot be sure of (a timed-out call, or a
    /// window that closed while an earlier process may have called). Throws <see cref="RailUnavailableException"/>
    /// when the rail cannot tell now.
    /// </summary>
    Task<RailAnswer?> InquireAsync(Guid idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Answers the rail sends on its own (webhooks): late, and possibly more than once.</summary>
    ChannelReader<RailCallback> Callbacks { get; }
}

/// <summary>A payout as the rail sees it.</summary>
/// <param name="IdempotencyKey">The rail pays each key at most once.</param>
/// <param name="Reference">The payer's reference (remittance information), shown on the rail's statements.</param>
/// <param name="Metadata">Echoed back in callbacks, so they can be matched to the payout.</param>
public sealed record RailPayout(
    Guid IdempotencyKey, string Reference, long AmountMinor, string Currency, string Beneficiary, IReadOnlyDictionary<string, string> Metadata);

/// <summary>The rail's final answer: paid (with the rail's reference) or declined (with its reason).</summary>
public sealed record RailAnswer(bool Paid, string Reference, string Detail)
{
    /// <summary>The rail paid; <paramref name="reference"/> identifies the payment on its statements.</summary>
    public static RailAnswer PaidAs(string reference) => new(true, reference, string.Empty);

    /// <summary>The rail refused to pay.</summary>
    public static RailAnswer Declined(string detail) => new(false, string.Empty, detail);
}

/// <summary>An answer the rail sent on its own, about <paramref name="Payout"/>.</summary>
public sealed record RailCallback(RailPayout Payout, RailAnswer Answer);
