using System.CommandLine;

namespace Payments.Cli.Commands;

/// <summary>The <c>--request-id</c> option of every mutating command (AIP-155).</summary>
internal static class RequestIds
{
    public static Option<string> Option() => new("--request-id")
    {
        Description = "Idempotency key; repeat it to retry safely. Defaults to a new random id.",
    };

    /// <summary>The request id this invocation sent, so a failure can say how to retry it; null before one is sent.</summary>
    public static string? Sent { get; private set; }

    public static string Value(ParseResult parse, Option<string> option) =>
        Sent = parse.GetValue(option) is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
}
