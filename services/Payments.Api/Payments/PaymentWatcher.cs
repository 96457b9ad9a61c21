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

    /// <summary>The payment now, then after each change of status, until the status is final.</summary>
    public async IAsyncEnumerable<Payment> WatchAsync(Guid paymentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Payment? last = null;
        while (true)
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

                await Task.WhenAny(changed, Task.Delay(RereadInterval, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
            finally
            {
                outcomes.Unfollow(paymentId, changed);
            }
        }
    }

    /// <summary>True for a status no later event changes.</summary>
    public static bool IsFinal(PaymentStatus status) => status is PaymentStatus.Posted or PaymentStatus.Rejected
        or PaymentStatus.Voided or PaymentStatus.Expired or PaymentStatus.Compensated;
}
