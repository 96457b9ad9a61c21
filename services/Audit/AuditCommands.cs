using System.CommandLine;
using Npgsql;
using Payments.Audit.Checkpoints;
using Payments.Audit.Reports;
using Payments.Audit.Storage;
using Payments.Postgres;

namespace Payments.Audit;

/// <summary>
/// The audit program's commands: run (the default), <c>keygen</c> and <c>migrate</c>. Exit codes: 0 when the
/// ledger passed every check, 1 when anything is wrong, 2 when the audit itself could not run.
/// </summary>
internal static class AuditCommands
{
    private static readonly Option<string> Database = new("--database")
    {
        Description = "Connection string as the auditor role (env ConnectionStrings__Audit).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ConnectionStrings__Audit") ?? "",
    };

    private static readonly Option<string> Ledger = new("--ledger") { Description = "The ledger to audit.", DefaultValueFactory = _ => "main" };

    private static readonly Option<string?> Key = new("--key")
    {
        Description = "PEM key file: a private key verifies and signs checkpoints, a public key only verifies (env AUDIT_KEY_FILE).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AUDIT_KEY_FILE"),
    };

    private static readonly Option<string?> Anchor = new("--anchor")
    {
        Description = "Anchor file, kept where the database's administrators cannot write: its checkpoint is verified, and a run that signs replaces it (env AUDIT_ANCHOR_FILE).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AUDIT_ANCHOR_FILE"),
    };

    private static readonly Option<string?> Json = new("--json") { Description = "Where to write the JSON report." };

    private static readonly Option<string?> Html = new("--html") { Description = "Where to write the HTML report." };

    private static readonly Option<int> GraceSeconds = new("--hold-grace-seconds")
    {
        Description = "How long past its expiry an open hold is tolerated.",
        DefaultValueFactory = _ => (int)AuditSettings.HoldGraceDefault.TotalSeconds,
    };

    private static readonly Option<int> DeliveryGraceSeconds = new("--delivery-grace-seconds")
    {
        Description = "Under Dapr, how old an intent must be to count as delivered to the writer.",
        DefaultValueFactory = _ => (int)AuditSettings.DeliveryGraceDefault.TotalSeconds,
    };

    public static RootCommand Create()
    {
        var root = new RootCommand("Payments.Audit: proves a ledger from its rows and its event log, and signs a checkpoint when it passes.")
        {
            Database, Ledger, Key, Anchor, Json, Html, GraceSeconds, DeliveryGraceSeconds, Keygen(), Migrate(),
        };
        root.SetAction(async (parse, ct) =>
        {
            await using var dataSource = NpgsqlDataSource.Create(Required(parse.GetValue(Database), "--database"));
            var report = await AuditRunner.RunAsync(dataSource, new AuditSettings
            {
                Ledger = parse.GetValue(Ledger)!,
                KeyPath = parse.GetValue(Key),
                AnchorPath = parse.GetValue(Anchor),
                HoldGrace = TimeSpan.FromSeconds(parse.GetValue(GraceSeconds)),
                DeliveryGrace = TimeSpan.FromSeconds(parse.GetValue(DeliveryGraceSeconds)),
            }, null, ct);
            await ReportFiles.WriteAsync(report, parse.GetValue(Json), parse.GetValue(Html), ct);
            foreach (var check in report.Checks)
            {
                Console.WriteLine($"{check.Status.ToString().ToUpperInvariant(),-8} {check.Name,-22} {check.ProblemCount,8:N0}  {check.Note}");
            }

            Console.WriteLine($"{(report.Passed ? "PASSED" : "FAILED")}: ledger {report.Ledger}, {report.EntriesScanned:N0} entries in {report.DurationSeconds:0.00} s");
            return report.Passed ? 0 : 1;
        });
        return root;
    }

    private static Command Keygen()
    {
        var path = new Option<string>("--key") { Description = "Where to write the new private key (PEM).", Required = true };
        var command = new Command("keygen", "Create a development ECDSA P-256 key for signing checkpoints.") { path };
        command.SetAction(parse =>
        {
            var publicPath = AuditKey.Generate(parse.GetValue(path)!);
            Console.WriteLine($"Wrote {parse.GetValue(path)} (private, owner-only) and {publicPath} (public).");
            return 0;
        });
        return command;
    }

    private static Command Migrate()
    {
        var owner = new Option<string>("--database")
        {
            Description = "Connection string as the owner role (env ConnectionStrings__LedgerOwner); run after the ledger's migrations.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ConnectionStrings__LedgerOwner") ?? "",
        };
        var command = new Command("migrate", "Create the audit schema and grant the auditor role its reads.") { owner };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = NpgsqlDataSource.Create(Required(parse.GetValue(owner), "--database"));
            await SqlMigrator.ApplyAsync(dataSource, AuditSchema.Migrations, ct);
            Console.WriteLine($"Applied {AuditSchema.Migrations.Count} audit migrations (or found them applied).");
            return 0;
        });
        return command;
    }

    private static string Required(string? value, string option) =>
        string.IsNullOrEmpty(value) ? throw new FormatException($"{option} is required.") : value;
}
