namespace Payments.Operator.Entities;

/// <summary>
/// A CEL rule the API server checks on every write of the object this type describes (the CRD's
/// <c>x-kubernetes-validations</c>), so a spec the operator cannot carry out is refused at
/// <c>kubectl apply</c> rather than found later. The type checks the same rule itself, for API servers
/// that evaluate none.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    /// <summary>The CEL expression, over <c>self</c>, the object.</summary>
    public string Rule { get; } = rule;

    /// <summary>What the API server answers when the rule does not hold.</summary>
    public string Message { get; } = message;
}
