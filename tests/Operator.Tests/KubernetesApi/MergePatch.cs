using System.Text.Json.Nodes;

namespace Payments.Operator.Tests.KubernetesApi;

/// <summary>JSON merge patch (RFC 7386): objects merge, null removes, anything else replaces.</summary>
public static class MergePatch
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject patchObject && target[name] is JsonObject targetObject)
            {
                Apply(targetObject, patchObject);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
