using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>
/// Builds and sends deliveries the way the Dapr sidecar does: a POST of the structured CloudEvent to the
/// subscription's route, content type application/cloudevents+json, with the attributes the publisher set
/// plus those the sidecar adds (topic, pubsubname, traceid, traceparent, tracestate), over the app
/// channel's protocol (h2c: the services speak HTTP/2 only, and the operator sets app-protocol h2c).
/// </summary>
public static class DaprDeliveries
{
    public const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /// <summary>The CloudEvent the sidecar delivers for <paramref name="payload"/> published by the platform.</summary>
    public static JsonObject CloudEvent(IMessage payload, Guid id, string subject, string topic = "payments", string partitionKey = "main") => new()
    {
        ["data"] = JsonNode.Parse(JsonFormatter.Default.Format(payload)),
        ["datacontenttype"] = "application/json",
        ["id"] = id.ToString(),
        ["partitionkey"] = partitionKey,
        ["pubsubname"] = "pubsub",
        ["source"] = "payments-api",
        ["specversion"] = "1.0",
        ["subject"] = subject,
        ["time"] = "2026-11-24T10:15:30.123456Z",
        ["topic"] = topic,
        ["traceid"] = TraceParent,
        ["traceparent"] = TraceParent,
        ["tracestate"] = "",
        ["type"] = payload.Descriptor.FullName,
    };

    /// <summary>An HTTP/2 cleartext client, as the sidecar's app channel with app-protocol h2c.</summary>
    public static HttpClient Client(Uri app) => new()
    {
        BaseAddress = app,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>POSTs <paramref name="body"/> to <paramref name="route"/>; returns the HTTP status and the answered status.</summary>
    public static async Task<(HttpStatusCode Http, string? Status)> DeliverAsync(HttpClient client, string body, string route = "/dapr/events/payments")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        using var request = new HttpRequestMessage(HttpMethod.Post, route)
        {
            Content = content,
            Version = client.DefaultRequestVersion,
            VersionPolicy = client.DefaultVersionPolicy,
        };
        request.Headers.Add("traceparent", TraceParent);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, $"HTTP {(int)response.StatusCode}: {text}");
        }

        using var answer = JsonDocument.Parse(text);
        return (response.StatusCode, answer.RootElement.GetProperty("status").GetString());
    }

    /// <summary>Delivers <paramref name="cloudEvent"/> and returns the answered status.</summary>
    public static async Task<string?> DeliverAsync(HttpClient client, JsonObject cloudEvent) =>
        (await DeliverAsync(client, cloudEvent.ToJsonString())).Status;
}
