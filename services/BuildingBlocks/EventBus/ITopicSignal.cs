namespace Payments.EventBus;

/// <summary>Tells waiters that a topic may have new events, so they re-read instead of polling blindly.</summary>
public interface ITopicSignal
{
    /// <summary>
    /// A task that completes at the next append to <paramref name="topic"/>. Take it before reading what
    /// you wait for, then await it: an append between the read and the wait is not missed.
    /// </summary>
    Task NextAppendAsync(string topic);
}
