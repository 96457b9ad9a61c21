namespace Payments.Settlement.Rails;

/// <summary>The rail failed transiently (the equivalent of HTTP 503): the call may be retried with the same key.</summary>
public sealed class RailUnavailableException(string message) : Exception(message);
