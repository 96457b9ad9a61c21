using System.CommandLine;
using Payments.Cli;
using Payments.Cli.Commands;

var root = new RootCommand("paymentsctl: operate the payments platform.\n\n" + ErrorReporting.ExitCodes)
{
    AccountCommands.Create(),
    PaymentCommands.Pay(),
    PaymentCommands.Payment(),
    LedgerCommands.Balance(),
    LedgerCommands.Entries(),
    LedgerCommands.Transfer(),
    LedgerMaintenanceCommands.Create(),
    AuditCommands.Create(),
    TokenCommand.Create(),
    DevCertsCommand.Create(),
};
root.Options.Add(Connection.ApiUrl);
root.Options.Add(Connection.LedgerUrl);
root.Options.Add(Connection.TimeoutSeconds);
root.Options.Add(Connection.Token);
root.Options.Add(Connection.CaCertificate);

return await ErrorReporting.InvokeAsync(root.Parse(args));
