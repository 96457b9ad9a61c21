using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Payments.Contracts.LedgerV1;
using Payments.ServiceDefaults.Grpc;

namespace Payments.Api.Payments;

/// <summary>
/// How many watches each principal holds open in this process. The rate limit counts calls, and a watch
/// is one call that holds a stream and a read a second for up to an hour: without a bound of its own, a
/// principal within its rate could open watches without end.
/// </summary>
internal sealed class WatchLimits(IOptions<PaymentApiOptions> options)
{
    private readonly ConcurrentDictionary<string, int> open = new(StringComparer.Ordinal);

    /// <summary>
    /// Counts one more watch of <paramref name="principal"/>; dispose the result when it ends. Throws
    /// RESOURCE_EXHAUSTED (<c>RATE_LIMITED</c>) when the principal holds the most already.
    /// </summary>
    public IDisposable Open(string principal)
    {
        var max = options.Value.WatchesPerPrincipalMax;
        if (open.AddOrUpdate(principal, 1, (_, count) => count + 1) > max)
        {
            Close(principal);
            throw GrpcErrors.For(ResultCode.RateLimited, $"Principal '{principal}' holds {max} open watches already; end one, or retry later.");
        }

        return new Watch(this, principal);
    }

    private void Close(string principal)
    {
        // Removed at zero so that principals seen once leave nothing behind.
        if (open.AddOrUpdate(principal, 0, (_, count) => count - 1) == 0)
        {
            open.TryRemove(new KeyValuePair<string, int>(principal, 0));
        }
    }

    private sealed class Watch(WatchLimits limits, string principal) : IDisposable
    {
        private int closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                limits.Close(principal);
            }
        }
    }
}
