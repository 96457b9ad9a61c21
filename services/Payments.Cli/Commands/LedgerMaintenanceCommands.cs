using System.CommandLine;
using Npgsql;
using Payments.Ledger.Replay;
using Payments.Ledger.Verification;

namespace Payments.Cli.Commands;

/// <summary>
/// <c>paymentsctl ledger verify|rebuild</c>: operations that talk to a ledger database directly, so
/// they trust nothing the services say. Exit code 0 when the ledger is sound, 1 when it is not.
/// </summary>
internal static class LedgerMaintenanceCommands
{
    private static readonly Option<string> LedgerName = new("--ledger")
    {
        Description = "The ledger to check.",
        DefaultValueFactory = _ => "main",
    };

    public static Command Create() => new("ledger", "Verify and rebuild a ledger database.") { Verify(), Rebuild() };

    private static Command Verify()
    {
        var database = new Option<string>("--database")
        {
            Description = "Connection string of the ledger database; a read-only role suffices (env PAYMENTS_DATABASE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PAYMENTS_DATABASE") ?? "",
        };
        var command = new Command("verify", "Recompute the hash chain and report the first sequence that does not verify.") { database, LedgerName };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = NpgsqlDataSource.Create(Required(parse.GetValue(database), "--database"));
            var result = await ChainVerifier.VerifyAsync(dataSource, parse.GetValue(LedgerName)!, ct);
            if (result.IsIntact)
            {
                Console.WriteLine($"Chain intact: {result.TransfersVerified} transfers, head sequence {result.HeadSequence}, hash {result.HeadHash}");
                return 0;
            }

            Console.WriteLine($"Chain BROKEN at sequence {result.FirstBadSequence}: {result.Problem}");
            Console.WriteLine($"Verified up to sequence {result.HeadSequence} (hash {result.HeadHash}).");
            return 1;
        });
        return command;
    }

    private static Command Rebuild()
    {
        var from = new Option<string>("--from") { Description = "Connection string of the live ledger database.", Required = true };
        var into = new Option<string>("--into")
        {
            Description = "Connection string, as the owner role, of an empty database to rebuild into.",
            Required = true,
        };
        var command = new Command("rebuild", "Replay the event log into an empty database and compare every ledger table with the live one.") { from, into, LedgerName };
        command.SetAction(async (parse, ct) =>
        {
            await using var source = NpgsqlDataSource.Create(parse.GetValue(from)!);
            await using var target = NpgsqlDataSource.Create(parse.GetValue(into)!);
            var result = await LedgerRebuilder.RebuildAsync(source, target, parse.GetValue(LedgerName)!, ct);
            Console.WriteLine($"Replayed {result.IntentsReplayed} intents.");
            Console.WriteLine($"Live    : head sequence {result.Live.HeadSequence}, {(result.Live.IsIntact ? "intact" : "BROKEN: " + result.Live.Problem)}");
            Console.WriteLine($"Rebuilt : head sequence {result.Rebuilt.HeadSequence}, {(result.Rebuilt.IsIntact ? "intact" : "BROKEN: " + result.Rebuilt.Problem)}");
            Console.WriteLine($"At sequence {result.ComparedSequence}: live {result.LiveHash}, rebuilt {result.RebuiltHash}");
            foreach (var difference in result.Differences)
            {
                Console.WriteLine($"Differs : {difference}");
            }

            Console.WriteLine(result.Identical ? "IDENTICAL" : "DIFFERENT");
            return result.Identical ? 0 : 1;
        });
        return command;
    }

    private static string Required(string? value, string option) =>
        string.IsNullOrEmpty(value) ? throw new FormatException($"{option} is required.") : value;
}
