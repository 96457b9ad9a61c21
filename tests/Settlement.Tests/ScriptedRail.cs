using System.Threading.Channels;
using Payments.Settlement.Rails;

namespace Payments.Settlement.Tests;

/// <summary>
/// A stand-in for an external bank API (the one thing these tests may not call for real): each call is
/// answered by <paramref name="answer"/>, given the call's number, and every call is recorded. An
/// inquiry is answered from <see cref="Books"/>, which a test fills with what the rail decided earlier.
/// </summary>
internal sealed class ScriptedRail(Func<int, CancellationToken, Task<RailAnswer>> answer) : IPaymentRail
{
    public Dictionary<Guid, RailAnswer> Books { get; } = [];

    public int Inquiries { get; private set; }

    private readonly List<RailPayout> calls = [];

    public string Name => "scripted";

    private readonly Channel<RailCallback> callbacks = Channel.CreateUnbounded<RailCallback>();

    public ChannelReader<RailCallback> Callbacks => callbacks.Reader;

    public IReadOnlyList<RailPayout> Calls
    {
        get
        {
            lock (calls)
            {
                return calls.ToList();
            }
        }
    }

    public Task<RailAnswer> PayAsync(RailPayout payout, CancellationToken cancellationToken)
    {
        int number;
        lock (calls)
        {
            calls.Add(payout);
            number = calls.Count;
        }

        return answer(number, cancellationToken);
    }

    public Task<RailAnswer?> InquireAsync(Guid idempotencyKey, CancellationToken cancellationToken)
    {
        lock (calls)
        {
            Inquiries++;
            return Task.FromResult(Books.GetValueOrDefault(idempotencyKey));
        }
    }

    /// <summary>Sends <paramref name="callback"/> as the rail's own message (a webhook).</summary>
    public void SendCallback(RailCallback callback) => callbacks.Writer.TryWrite(callback);

    /// <summary>A rail that never answers until the call is cancelled.</summary>
    public static ScriptedRail Silent() => new(async (_, ct) =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        throw new InvalidOperationException("unreachable");
    });
}
