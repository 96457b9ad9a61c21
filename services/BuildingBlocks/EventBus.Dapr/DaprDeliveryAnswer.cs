using Microsoft.AspNetCore.Http;

namespace Payments.EventBus.Dapr;

/// <summary>The answers Dapr's subscription contract defines for a delivered event (HTTP 200 with a status).</summary>
public static class DaprDeliveryAnswer
{
    /// <summary>Handled; the sidecar acknowledges the message to the broker.</summary>
    public const string Success = "SUCCESS";

    /// <summary>Not handled now; the sidecar delivers it again.</summary>
    public const string Retry = "RETRY";

    /// <summary>Never handleable; the sidecar logs it and sends it to the dead-letter topic.</summary>
    public const string Drop = "DROP";

    /// <summary>The response body for <paramref name="status"/>.</summary>
    public static IResult Of(string status) => Results.Json(new StatusBody(status));

    private sealed record StatusBody(string Status);
}
