using System.CommandLine;
using System.Globalization;
using Payments.Cli.Output;
using Payments.Contracts.LedgerV1;

namespace Payments.Cli.Commands;

/// <summary><c>paymentsctl balance</c>, <c>entries</c> and <c>transfer show</c>.</summary>
internal static class LedgerCommands
{
    public static Command Balance()
    {
        var accountIds = new Argument<string[]>("account-id") { Description = "One or more account ids.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("balance", "Show balances, derived from each account's latest entry.") { accountIds };
        command.SetAction(async (parse, ct) =>
        {
            var ledger = Connection.Ledger(parse);
            var rows = new List<string[]>();
            foreach (var id in parse.GetValue(accountIds)!)
            {
                var account = (await ledger.GetAccountAsync(new GetAccountRequest { AccountId = id },
                    deadline: Connection.Deadline(parse), cancellationToken: ct)).Account;
                var balance = (await ledger.GetBalanceAsync(new GetBalanceRequest { AccountId = id },
                    deadline: Connection.Deadline(parse), cancellationToken: ct)).Balance;
                rows.Add([id, account.Owner, Money.Format(balance.DebitsPostedMinor, balance.Currency),
                    Money.Format(balance.CreditsPostedMinor, balance.Currency), Money.Format(balance.PostedMinor, balance.Currency),
                    balance.AccountSequence.ToString(CultureInfo.InvariantCulture)]);
            }

            Tables.Write(Console.Out, ["ACCOUNT", "OWNER", "DEBITS", "CREDITS", "BALANCE", "ENTRIES"], rows);
        });
        return command;
    }

    public static Command Entries()
    {
        var accountId = new Argument<string>("account-id") { Description = "The account id." };
        var limit = new Option<int>("--limit") { Description = "Most entries to show.", DefaultValueFactory = _ => 100 };
        var command = new Command("entries", "List an account's entries, oldest first.") { accountId, limit };
        command.SetAction(async (parse, ct) =>
        {
            var ledger = Connection.Ledger(parse);
            var rows = new List<string[]>();
            var request = new ListEntriesRequest { AccountId = parse.GetValue(accountId)!, PageSize = 100 };
            do
            {
                var page = await ledger.ListEntriesAsync(request, deadline: Connection.Deadline(parse), cancellationToken: ct);
                rows.AddRange(page.Entries.Select(Row));
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0 && rows.Count < parse.GetValue(limit));

            Tables.Write(Console.Out, ["SEQ", "LEDGER SEQ", "TRANSFER", "SIDE", "AMOUNT", "BALANCE AFTER", "AVAILABLE AFTER"],
                rows.Take(parse.GetValue(limit)).ToList());
        });
        return command;
    }

    public static Command Transfer()
    {
        var transferId = new Argument<string>("transfer-id") { Description = "The transfer (payment) id." };
        var show = new Command("show", "Show a transfer with its chain hash.") { transferId };
        show.SetAction(async (parse, ct) =>
        {
            var response = await Connection.Ledger(parse).GetTransferAsync(
                new GetTransferRequest { TransferId = parse.GetValue(transferId)! }, deadline: Connection.Deadline(parse), cancellationToken: ct);
            Console.WriteLine(response.Transfer);
        });
        return new Command("transfer", "Inspect transfers.") { show };
    }

    private static string[] Row(Entry entry) =>
    [
        entry.AccountSequence.ToString(CultureInfo.InvariantCulture),
        entry.LedgerSequence.ToString(CultureInfo.InvariantCulture),
        entry.TransferId,
        entry.Direction == EntryDirection.Debit ? "DEBIT" : "CREDIT",
        Money.Format(entry.AmountMinor, entry.Currency),
        Money.Format(entry.BalanceAfter.PostedMinor, entry.Currency),
        Money.Format(entry.BalanceAfter.AvailableMinor, entry.Currency),
    ];
}
