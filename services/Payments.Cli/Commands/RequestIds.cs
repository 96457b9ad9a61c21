using System.CommandLine;

namespace Payments.Cli.Commands;

/// <summary>The <c>--request-id</c> option of every mutating command (AIP-155).</summary>
internal static class RequestIds
{
    public static Option<string> Option() => new("--request-id")
    {
        Description = "Idempotency key; repeat it to retry safely. Defaults to a new random id.",
    };

    public static string Value(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
}
