using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Payments.Operator.Tests.KubernetesApi;

/// <summary>
/// The subset of the Kubernetes API the operator uses, served by Kestrel on loopback: objects stored by
/// path with resourceVersions (a stale one is a 409), server-side apply (refused with 422 where it would
/// change a Job's immutable pod template) and merge patches, the status
/// subresource, POST into a collection (the Lease), lists by label selector, and a list-then-watch of
/// LedgerClusters whose watch can be made to answer 410 Gone, and status writes and merge patches that can
/// be made to answer 409 Conflict. Status writes and applies do not emit watch
/// events here; the tests emit the ones they need with <see cref="Emit"/>.
/// </summary>
public sealed class LoopbackKubernetesApi : IAsyncDisposable
{
    public const string LedgerClusters = "/apis/payments.example.io/v1alpha1/ledgerclusters";

    private readonly ConcurrentDictionary<string, JsonObject> objects = new();
    private readonly Channel<string> watchEvents = Channel.CreateUnbounded<string>();
    private readonly Lock gate = new();
    private WebApplication app = null!;
    private long resourceVersion = 100;
    private int goneWatchesLeft;
    private int statusConflictsLeft;
    private int mergePatchConflictsLeft;

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The server's address for the client configuration.</summary>
    public string Url { get; private set; } = null!;

    public static async Task<LoopbackKubernetesApi> StartAsync()
    {
        var api = new LoopbackKubernetesApi();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        api.app = builder.Build();
        api.app.Run(api.HandleAsync);
        await api.app.StartAsync();
        api.Url = api.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return api;
    }

    /// <summary>The next <paramref name="count"/> watches answer with an ERROR event carrying 410 Gone.</summary>
    public void ExpireNextWatches(int count) => Interlocked.Exchange(ref goneWatchesLeft, count);

    /// <summary>The next <paramref name="count"/> status writes answer 409 Conflict.</summary>
    public void ConflictNextStatusWrites(int count) => Interlocked.Exchange(ref statusConflictsLeft, count);

    /// <summary>The next <paramref name="count"/> merge patches (the finalizer's) answer 409 Conflict, as after a concurrent edit.</summary>
    public void ConflictNextMergePatches(int count) => Interlocked.Exchange(ref mergePatchConflictsLeft, count);

    /// <summary>The object stored at <paramref name="path"/>, or null.</summary>
    public JsonObject? Get(string path) => objects.TryGetValue(path, out var value) ? (JsonObject)value.DeepClone() : null;

    /// <summary>Stores <paramref name="value"/> at <paramref name="path"/> as a client write would, bumping versions.</summary>
    public JsonObject Put(string path, JsonObject value)
    {
        lock (gate)
        {
            var stored = (JsonObject)value.DeepClone();
            var metadata = (JsonObject)(stored["metadata"] ??= new JsonObject());
            metadata["resourceVersion"] = NextVersion();
            metadata["uid"] ??= Guid.NewGuid().ToString();
            metadata["generation"] ??= 1;
            objects[path] = stored;
            return (JsonObject)stored.DeepClone();
        }
    }

    /// <summary>Deletes the object at <paramref name="path"/> as a client would (kubectl delete).</summary>
    public void Delete(string path) => objects.TryRemove(path, out _);

    /// <summary>Sends a watch event about the LedgerCluster stored at <paramref name="path"/>.</summary>
    public void Emit(string type, string path) =>
        watchEvents.Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = Get(path) }.ToJsonString());

    public async ValueTask DisposeAsync()
    {
        watchEvents.Writer.TryComplete();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private string NextVersion() => Interlocked.Increment(ref resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        Requests.Enqueue(new RecordedRequest(request.Method, request.Path, request.QueryString.Value ?? string.Empty, request.ContentType, body));
        var path = request.Path.Value!;
        var (status, answer) = request.Method switch
        {
            "GET" when path == LedgerClusters && request.Query["watch"] == "true" => await WatchAsync(context),
            "GET" when path == LedgerClusters => (200, List()),
            "GET" when request.Query.ContainsKey("labelSelector") => (200, ListSelected(path, request.Query["labelSelector"].ToString())),
            "GET" => objects.TryGetValue(path, out var found) ? (200, found) : NotFound(path),
            "POST" => Create(path, body),
            "PUT" when path.EndsWith("/status", StringComparison.Ordinal) => ReplaceStatus(path[..^"/status".Length], body),
            "PUT" => Replace(path, body),
            "PATCH" => Patch(path, request.ContentType ?? string.Empty, body),
            "DELETE" => objects.TryRemove(path, out var removed) ? (200, removed) : NotFound(path),
            _ => (405, StatusBody(405, "MethodNotAllowed", request.Method)),
        };
        if (answer is null)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private JsonObject List()
    {
        lock (gate)
        {
            var items = new JsonArray(objects.Where(o => o.Key.StartsWith(LedgerClusters, StringComparison.Ordinal)
                    || o.Key.Contains("/ledgerclusters/", StringComparison.Ordinal))
                .Select(o => (JsonNode)o.Value.DeepClone()).ToArray());
            return new JsonObject
            {
                ["apiVersion"] = "payments.example.io/v1alpha1",
                ["kind"] = "LedgerClusterList",
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["items"] = items,
            };
        }
    }

    // A namespaced collection filtered by equality terms (a=b,c=d), the only selectors the operator sends.
    private JsonObject ListSelected(string collection, string selector)
    {
        var terms = selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(term => term.Split('=', 2)).ToList();
        lock (gate)
        {
            var items = objects
                .Where(o => o.Key.StartsWith(collection + "/", StringComparison.Ordinal) && !o.Key[(collection.Length + 1)..].Contains('/'))
                .Where(o => terms.All(term => o.Value["metadata"]?["labels"]?[term[0]]?.GetValue<string>() == term[1]))
                .Select(o => (JsonNode)o.Value.DeepClone())
                .ToArray();
            return new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray(items),
            };
        }
    }

    // Streams one JSON event per line until the client goes away; an expired watch gets the ERROR event.
    private async Task<(int, JsonObject?)> WatchAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        if (Interlocked.Decrement(ref goneWatchesLeft) >= 0)
        {
            var gone = new JsonObject { ["type"] = "ERROR", ["object"] = StatusBody(410, "Expired", "too old resource version") };
            await context.Response.WriteAsync(gone.ToJsonString() + "\n");
            return (200, null);
        }

        Interlocked.Exchange(ref goneWatchesLeft, 0);
        await context.Response.Body.FlushAsync();
        try
        {
            await foreach (var line in watchEvents.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client ended the watch.
        }

        return (200, null);
    }

    private (int, JsonObject) Create(string collection, string body)
    {
        var value = JsonNode.Parse(body)!.AsObject();
        var path = collection + "/" + value["metadata"]!["name"]!.GetValue<string>();
        return objects.ContainsKey(path) ? (409, StatusBody(409, "AlreadyExists", path)) : (201, Put(path, value));
    }

    private (int, JsonObject) Replace(string path, string body)
    {
        var value = JsonNode.Parse(body)!.AsObject();
        lock (gate)
        {
            if (!objects.TryGetValue(path, out var stored))
            {
                return NotFound(path);
            }

            return VersionOf(value) != VersionOf(stored) ? (409, StatusBody(409, "Conflict", path)) : (200, Put(path, value));
        }
    }

    private (int, JsonObject) ReplaceStatus(string path, string body)
    {
        if (Interlocked.Decrement(ref statusConflictsLeft) >= 0)
        {
            return (409, StatusBody(409, "Conflict", "the object has been modified (test)"));
        }

        Interlocked.Exchange(ref statusConflictsLeft, 0);
        var value = JsonNode.Parse(body)!.AsObject();
        lock (gate)
        {
            if (!objects.TryGetValue(path, out var stored))
            {
                return NotFound(path);
            }

            if (VersionOf(value) != VersionOf(stored))
            {
                return (409, StatusBody(409, "Conflict", path));
            }

            var updated = (JsonObject)stored.DeepClone();
            updated["status"] = value["status"]?.DeepClone();
            return (200, Put(path, updated));
        }
    }

    private (int, JsonObject) Patch(string path, string contentType, string body)
    {
        var patch = JsonNode.Parse(body)!.AsObject();
        lock (gate)
        {
            objects.TryGetValue(path, out var stored);
            if (contentType.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal))
            {
                // Apply: the applied fields replace the stored ones; status and identity stay the server's.
                var applied = (JsonObject)patch.DeepClone();
                if (stored is not null && path.Contains("/jobs/", StringComparison.Ordinal)
                    && !JsonNode.DeepEquals(stored["spec"]?["template"], applied["spec"]?["template"]))
                {
                    return (422, StatusBody(422, "Invalid", $"{path}: spec.template: field is immutable"));
                }

                if (stored is not null)
                {
                    applied["status"] = stored["status"]?.DeepClone();
                    applied["metadata"]!["uid"] = stored["metadata"]!["uid"]!.DeepClone();
                }

                return (stored is null ? 201 : 200, Put(path, applied));
            }

            if (stored is null)
            {
                return NotFound(path);
            }

            if (Interlocked.Decrement(ref mergePatchConflictsLeft) >= 0)
            {
                return (409, StatusBody(409, "Conflict", "the object has been modified (test)"));
            }

            Interlocked.Exchange(ref mergePatchConflictsLeft, 0);
            if (patch["metadata"]?["resourceVersion"] is { } expected && expected.GetValue<string>() != VersionOf(stored))
            {
                return (409, StatusBody(409, "Conflict", path));
            }

            var merged = (JsonObject)stored.DeepClone();
            MergePatch.Apply(merged, patch);
            return FinishDeletionIfReleased(path, merged);
        }
    }

    // An object being deleted disappears once its last finalizer is removed.
    private (int, JsonObject) FinishDeletionIfReleased(string path, JsonObject merged)
    {
        var metadata = merged["metadata"]!.AsObject();
        if (metadata["deletionTimestamp"] is not null && (metadata["finalizers"] as JsonArray)?.Count is null or 0)
        {
            objects.TryRemove(path, out _);
            return (200, merged);
        }

        return (200, Put(path, merged));
    }

    private static string? VersionOf(JsonObject value) => value["metadata"]?["resourceVersion"]?.GetValue<string>();

    private static (int, JsonObject) NotFound(string path) => (404, StatusBody(404, "NotFound", path));

    private static JsonObject StatusBody(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };
}
