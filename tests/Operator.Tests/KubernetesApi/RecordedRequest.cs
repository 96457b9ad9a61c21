namespace Payments.Operator.Tests.KubernetesApi;

/// <summary>One request the operator made, as the API server received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body);
