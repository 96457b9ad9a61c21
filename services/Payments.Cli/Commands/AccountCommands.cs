using System.CommandLine;
using Payments.Contracts.LedgerV1;

namespace Payments.Cli.Commands;

/// <summary><c>paymentsctl account open|show</c>.</summary>
internal static class AccountCommands
{
    public static Command Create()
    {
        var account = new Command("account", "Open and inspect accounts.");
        account.Subcommands.Add(Open());
        account.Subcommands.Add(Show());
        account.Subcommands.Add(ChangeStatus("freeze", "Refuse new debits until unfrozen.", async (client, id, requestId, deadline, ct) =>
            (await client.FreezeAccountAsync(new FreezeAccountRequest { RequestId = requestId, AccountId = id }, deadline: deadline, cancellationToken: ct)).Account));
        account.Subcommands.Add(ChangeStatus("unfreeze", "Take debits again.", async (client, id, requestId, deadline, ct) =>
            (await client.UnfreezeAccountAsync(new UnfreezeAccountRequest { RequestId = requestId, AccountId = id }, deadline: deadline, cancellationToken: ct)).Account));
        account.Subcommands.Add(ChangeStatus("close", "Close for good; only releases of holds still apply.", async (client, id, requestId, deadline, ct) =>
            (await client.CloseAccountAsync(new CloseAccountRequest { RequestId = requestId, AccountId = id }, deadline: deadline, cancellationToken: ct)).Account));
        return account;
    }

    private static Command Open()
    {
        var owner = new Option<string>("--owner") { Description = "Principal allowed to debit the account.", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 code, e.g. EUR.", Required = true };
        var noOverdraft = new Option<bool>("--no-overdraft") { Description = "Refuse debits beyond the account's credits." };
        var requestId = RequestIds.Option();
        var command = new Command("open", "Open an account; prints its id.") { owner, currency, noOverdraft, requestId };
        command.SetAction(async (parse, ct) =>
        {
            var response = await Connection.Ledger(parse).OpenAccountAsync(new OpenAccountRequest
            {
                RequestId = RequestIds.Value(parse, requestId),
                Owner = parse.GetValue(owner)!,
                Currency = parse.GetValue(currency)!,
                Flags = new AccountFlags { DebitsMustNotExceedCredits = parse.GetValue(noOverdraft) },
            }, deadline: Connection.Deadline(parse), cancellationToken: ct);
            Console.WriteLine(response.Account.Id);
        });
        return command;
    }

    private delegate Task<Account> StatusChange(LedgerService.LedgerServiceClient client, string accountId, string requestId, DateTime deadline, CancellationToken ct);

    private static Command ChangeStatus(string name, string description, StatusChange change)
    {
        var accountId = new Argument<string>("account-id") { Description = "The account id." };
        var requestId = RequestIds.Option();
        var command = new Command(name, description) { accountId, requestId };
        command.SetAction(async (parse, ct) =>
        {
            var account = await change(Connection.Ledger(parse), parse.GetValue(accountId)!, RequestIds.Value(parse, requestId), Connection.Deadline(parse), ct);
            Console.WriteLine($"{account.Id}  {account.Status.ToString().ToUpperInvariant()}");
        });
        return command;
    }

    private static Command Show()
    {
        var accountId = new Argument<string>("account-id") { Description = "The account id." };
        var command = new Command("show", "Show an account.") { accountId };
        command.SetAction(async (parse, ct) =>
        {
            var response = await Connection.Ledger(parse).GetAccountAsync(
                new GetAccountRequest { AccountId = parse.GetValue(accountId)! }, deadline: Connection.Deadline(parse), cancellationToken: ct);
            Console.WriteLine(response.Account);
        });
        return command;
    }
}
