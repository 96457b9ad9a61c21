using System.Runtime.CompilerServices;
using Payments.Api.Storage;
using Payments.Contracts;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Grpc;

namespace Payments.Api.Payments;

/// <summary>
/// Follows one payment: reads it, and reads it again whenever the outcome tail sees an outcome that
/// changes it (or at least every second, in case the tail restarts or lags), yielding it each time its
/// status changes. Outcomes about other payments wake nobody, so a busy ledger costs a watch one read
/// a second, not one per commit.
/// </summary>
internal sealed class PaymentWatcher(PaymentReader payments, OutcomeTail outcomes)
{
    private static readonly TimeSpan RereadInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The payment now, then after each change of status, until the status is final or
    /// <paramref name="durationMax"/> has passed: a watch of a month-long hold must not hold a stream and a
    /// read a second for a month. The client watches again to go on; it gets the payment as it is then.
    /// </summary>
    public async IAsyncEnumerable<Payment> WatchAsync(Guid paymentId, TimeSpan durationMax, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var endsAt = DateTimeOffset.UtcNow + durationMax;
        Payment? last = null;
        while (DateTimeOffset.UtcNow < endsAt)
        {
            // Asked for before the read, so an outcome appended during the read still wakes the next one.
            var changed = outcomes.NextChange(paymentId);
            try
            {
                var record = await payments.FindAsync(paymentId, cancellationToken)
                    ?? throw PaymentAccess.PaymentNotFound(paymentId);
                if (last is null || record.Status != last.Status)
                {
                    last = record.Payment;
                    yield return last;
                }

                if (IsFinal(last.Status))
                {
                    yield break;
                }

                var left = endsAt - DateTimeOffset.UtcNow;
                await Task.WhenAny(changed, Task.Delay(left < RereadInterval ? Max(left, TimeSpan.Zero) : RereadInterval, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
            finally
            {
                outcomes.Unfollow(paymentId, changed);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>True for a status no later event changes.</summary>
    public static bool IsFinal(PaymentStatus status) => status is PaymentStatus.Posted or PaymentStatus.Rejected
        or PaymentStatus.Voided or PaymentStatus.Expired or PaymentStatus.Compensated;
}
