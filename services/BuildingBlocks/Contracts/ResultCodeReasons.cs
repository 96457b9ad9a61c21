using Payments.Contracts.LedgerV1;

namespace Payments.Contracts;

/// <summary>
/// Maps result codes to the stable reason strings of AIP-193 (the proto value name without its
/// RESULT_CODE_ prefix) and back.
/// </summary>
public static class ResultCodeReasons
{
    private const string Prefix = "RESULT_CODE_";

    private static readonly Dictionary<ResultCode, string> ReasonByCode =
        ResultCodeReflection.Descriptor.EnumTypes[0].Values.ToDictionary(v => (ResultCode)v.Number, v => v.Name[Prefix.Length..]);

    private static readonly Dictionary<string, ResultCode> CodeByReason =
        ReasonByCode.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The reason string, for example <c>EXCEEDS_CREDITS</c>.</summary>
    public static string Reason(this ResultCode code) =>
        ReasonByCode.TryGetValue(code, out var reason) ? reason : $"UNKNOWN_{(int)code}";

    /// <summary>The code for a stored reason string, or <see cref="ResultCode.Unspecified"/>.</summary>
    public static ResultCode FromReason(string reason) =>
        CodeByReason.TryGetValue(reason, out var code) ? code : ResultCode.Unspecified;
}
