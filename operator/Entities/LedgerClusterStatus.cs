using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Payments.Operator.Entities;

/// <summary>What the operator observed, written through the status subresource only.</summary>
[Description("The observed state of the payments platform.")]
public sealed class LedgerClusterStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation the conditions describe.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    [Description("Ready, Progressing, Degraded, AuditScheduled and LastAuditSucceeded.")]
    public List<LedgerClusterCondition> Conditions { get; set; } = [];
}

/// <summary>One condition, shaped like the Kubernetes API conventions' metav1.Condition.</summary>
public sealed class LedgerClusterCondition
{
    [JsonPropertyName("type")]
    [Description("The condition's name.")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("status")]
    [Description("True, False or Unknown.")]
    public string Status { get; set; } = "Unknown";

    [JsonPropertyName("reason")]
    [Description("A CamelCase word for why the status is what it is.")]
    public string Reason { get; set; } = string.Empty;

    [JsonPropertyName("message")]
    [Description("What a person needs to know, in a sentence.")]
    public string Message { get; set; } = string.Empty;

    [JsonPropertyName("lastTransitionTime")]
    [Description("When the status last changed.")]
    public DateTime? LastTransitionTime { get; set; }

    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation the condition was computed for.")]
    public long? ObservedGeneration { get; set; }
}
