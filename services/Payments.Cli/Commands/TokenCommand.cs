using System.CommandLine;
using Payments.ServiceDefaults.Security;

namespace Payments.Cli.Commands;

/// <summary>
/// <c>paymentsctl token</c>: mints a development token from the local development key (ADR 0030). It
/// refuses when a production key set is configured, because then the development key is not trusted and
/// a token from it would only mislead.
/// </summary>
internal static class TokenCommand
{
    private static readonly string[] ProductionKeyVariables = ["Authentication__PublicKeyPath", "Authentication__JwksPath"];

    public static Command Create()
    {
        var subject = new Option<string>("--subject") { Description = "The principal (sub claim).", DefaultValueFactory = _ => "dev" };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "A scope to grant; repeat for several. Default: every scope.", AllowMultipleArgumentsPerToken = true,
        };
        var lifetimeMinutes = new Option<int>("--lifetime-minutes") { Description = "How long the token is valid.", DefaultValueFactory = _ => 60 };
        var keyDirectory = new Option<string?>("--key-dir")
        {
            Description = "Directory of the development key (env Authentication__DevelopmentKeyDirectory).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Authentication__DevelopmentKeyDirectory"),
        };
        var command = new Command("token", "Mint a development bearer token (embedded mode only).") { subject, scopes, lifetimeMinutes, keyDirectory };
        command.SetAction(parse =>
        {
            if (ProductionKeyVariables.FirstOrDefault(name => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name))) is { } configured)
            {
                Console.Error.WriteLine($"error: {configured} names a production key set; development tokens are refused.");
                return 2;
            }

            var granted = parse.GetValue(scopes) is { Length: > 0 } chosen ? chosen : [.. Scopes.All];
            using var key = DevelopmentKeys.LoadOrCreate(parse.GetValue(keyDirectory));
            var claims = new TokenMinter.Claims(
                Environment.GetEnvironmentVariable("Authentication__Issuer") ?? TokenSettings.DevelopmentIssuer,
                Environment.GetEnvironmentVariable("Authentication__Audience") ?? TokenSettings.DefaultAudience,
                parse.GetValue(subject)!, granted, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(parse.GetValue(lifetimeMinutes)));
            Console.WriteLine(TokenMinter.Mint(key, claims));
            return 0;
        });
        return command;
    }
}
