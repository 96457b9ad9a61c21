using Grpc.Core;

namespace Payments.ServiceDefaults.Grpc;

/// <summary>How long a call may wait for something, bounded by its deadline and by a server maximum.</summary>
public static class CallBudget
{
    // Leaves time to build and send the answer before the client's deadline fires.
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromMilliseconds(50);

    /// <summary>The time left before the call's deadline (less a margin), capped at <paramref name="maximum"/>.</summary>
    public static TimeSpan Remaining(ServerCallContext context, TimeSpan maximum)
    {
        if (context.Deadline == DateTime.MaxValue)
        {
            return maximum;
        }

        var left = context.Deadline.ToUniversalTime() - DateTime.UtcNow - AnswerMargin;
        return left < TimeSpan.Zero ? TimeSpan.Zero : left < maximum ? left : maximum;
    }
}
