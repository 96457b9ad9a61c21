using Payments.Operator.Entities;

namespace Payments.Operator.Controllers;

/// <summary>The spec asks for something the operator cannot carry out; the message says what.</summary>
public sealed class SpecInvalidException(string message) : Exception(message)
{
    /// <summary>The problems of <paramref name="spec"/>, or null when it has none.</summary>
    public static SpecInvalidException? Of(LedgerClusterSpec spec) =>
        spec.Kafka.Problems().ToList() is [_, ..] problems ? new SpecInvalidException("spec.kafka: " + string.Join("; ", problems)) : null;
}
