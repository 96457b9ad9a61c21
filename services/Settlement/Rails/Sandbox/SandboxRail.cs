using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Payments.Settlement.Rails.Sandbox;

/// <summary>
/// A rail that behaves like a bank's payout API, driven by <see cref="SandboxRailOptions"/> rules:
/// latency, declines, lost requests, transient failures and duplicate callbacks. Like a bank, it keeps
/// its own books: a payout is charged when the request is accepted, before the answer travels back, and
/// a repeated idempotency key gets the stored answer at once and is never charged again.
/// </summary>
internal sealed class SandboxRail(SandboxRailStore store, IOptions<SandboxRailOptions> options) : IPaymentRail
{
    private readonly Channel<RailCallback> callbacks = Channel.CreateBounded<RailCallback>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <inheritdoc />
    public string Name => "sandbox";

    /// <inheritdoc />
    public ChannelReader<RailCallback> Callbacks => callbacks.Reader;

    /// <inheritdoc />
    public Task<RailAnswer?> InquireAsync(Guid idempotencyKey, CancellationToken cancellationToken) =>
        store.FindAsync(idempotencyKey, cancellationToken);

    /// <inheritdoc />
    public async Task<RailAnswer> PayAsync(RailPayout payout, CancellationToken cancellationToken)
    {
        var rule = options.Value.RuleFor(payout);
        var latency = TimeSpan.FromMilliseconds(rule.LatencyMs ?? options.Value.LatencyMs);
        var calls = await store.RecordCallAsync(payout.IdempotencyKey, cancellationToken);
        if (await store.FindAsync(payout.IdempotencyKey, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        switch (rule.Behaviour)
        {
            case SandboxBehaviour.Timeout:
                // The request never arrives: nothing is charged, no answer ever comes.
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                break;
            case SandboxBehaviour.Flaky when calls <= rule.FailuresBeforeSuccess:
                await Task.Delay(latency, cancellationToken);
                throw new RailUnavailableException($"Sandbox rail unavailable (call {calls} of {rule.FailuresBeforeSuccess} failing).");
        }

        var answer = await store.SaveAsync(payout, rule.Behaviour == SandboxBehaviour.Decline
            ? RailAnswer.Declined("Sandbox rule: beneficiary declined.")
            : RailAnswer.PaidAs("SBX-" + payout.IdempotencyKey.ToString("N")[..16].ToUpperInvariant()), cancellationToken);

        // Charged; the answer is on its way back. A caller that dies here retries with the same key.
        await Task.Delay(latency, cancellationToken);
        if (rule.Behaviour == SandboxBehaviour.DuplicateCallback)
        {
            callbacks.Writer.TryWrite(new RailCallback(payout, answer));
        }

        return answer;
    }
}
