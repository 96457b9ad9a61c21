using System.CommandLine;
using System.Security.Cryptography;
using Npgsql;
using Payments.Audit;
using Payments.Audit.Checkpoints;
using Payments.Audit.Reports;
using Payments.Cli.Output;

namespace Payments.Cli.Commands;

/// <summary>
/// <c>paymentsctl audit</c>: runs the audit job against a ledger database with a progress bar and prints the
/// verdict of every check as a table; <c>paymentsctl audit keygen</c> creates a development signing key;
/// <c>paymentsctl audit runs</c> lists the recorded runs through the Ledger service.
/// Exit code 0 when the ledger passed, 1 when anything is wrong, 2 when the audit could not run.
/// </summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var database = new Option<string>("--database")
        {
            Description = "Connection string as the auditor role (env PAYMENTS_AUDIT_DATABASE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PAYMENTS_AUDIT_DATABASE") ?? "",
        };
        var ledger = new Option<string>("--ledger") { Description = "The ledger to audit.", DefaultValueFactory = _ => "main" };
        var key = new Option<string?>("--key")
        {
            Description = "PEM key file: a private key verifies and signs checkpoints, a public key only verifies (env AUDIT_KEY_FILE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AUDIT_KEY_FILE"),
        };
        var anchor = new Option<string?>("--anchor")
        {
            Description = "Anchor file, kept where the database's administrators cannot write: its checkpoint is verified, and a run that signs replaces it (env AUDIT_ANCHOR_FILE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AUDIT_ANCHOR_FILE"),
        };
        var json = new Option<string?>("--json") { Description = "Where to write the JSON report." };
        var html = new Option<string?>("--html") { Description = "Where to write the HTML report." };
        var grace = new Option<int>("--hold-grace-seconds")
        {
            Description = "How long past its expiry an open hold is tolerated.",
            DefaultValueFactory = _ => (int)AuditSettings.HoldGraceDefault.TotalSeconds,
        };
        var deliveryGrace = new Option<int>("--delivery-grace-seconds")
        {
            Description = "Under Dapr, how old an intent must be to count as delivered to the writer.",
            DefaultValueFactory = _ => (int)AuditSettings.DeliveryGraceDefault.TotalSeconds,
        };
        var command = new Command("audit", "Prove the ledger from its rows and its event log; sign a checkpoint when it passes.")
        {
            database, ledger, key, anchor, json, html, grace, deliveryGrace, Keygen(), AuditRunsCommand.Create(),
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new AuditSettings
            {
                Ledger = parse.GetValue(ledger)!,
                KeyPath = parse.GetValue(key),
                AnchorPath = parse.GetValue(anchor),
                HoldGrace = TimeSpan.FromSeconds(parse.GetValue(grace)),
                DeliveryGrace = TimeSpan.FromSeconds(parse.GetValue(deliveryGrace)),
            };
            return await RunAsync(Required(parse.GetValue(database), "--database"), settings, parse.GetValue(json), parse.GetValue(html), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(string connectionString, AuditSettings settings, string? jsonPath, string? htmlPath, CancellationToken cancellationToken)
    {
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            AuditReport report;
            using (var progress = new ProgressBar(Console.Error, !Console.IsErrorRedirected))
            {
                report = await AuditRunner.RunAsync(dataSource, settings, progress, cancellationToken);
            }

            await ReportFiles.WriteAsync(report, jsonPath, htmlPath, cancellationToken);
            AuditSummary.Write(Console.Out, report, jsonPath, htmlPath);
            return report.Passed ? 0 : 1;
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or InvalidDataException or CryptographicException)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return 2;
        }
    }

    private static Command Keygen()
    {
        var path = new Option<string>("--key") { Description = "Where to write the new private key (PEM).", Required = true };
        var command = new Command("keygen", "Create a development ECDSA P-256 key for signing audit checkpoints.") { path };
        command.SetAction(parse =>
        {
            var publicPath = AuditKey.Generate(parse.GetValue(path)!);
            Console.WriteLine($"Wrote {parse.GetValue(path)} (private, owner-only) and {publicPath} (public).");
            return 0;
        });
        return command;
    }

    private static string Required(string? value, string option) =>
        string.IsNullOrEmpty(value) ? throw new FormatException($"{option} is required.") : value;
}
