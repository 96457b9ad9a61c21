using Npgsql;
using Payments.Contracts;
using Payments.EventBus;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;
using Payments.Ledger.Writer;

namespace Payments.Audit.Checks;

/// <summary>
/// Every account is what its opening asked for: currency, owner and balance flags. Accounts stand outside
/// the hash chain, and the balance-flags check trusts their flags, so an account row changed afterwards
/// (a no-overdraft flag dropped) would let the ledger break its promise and the audit agree with it. The
/// intents topic is the second, independent record of what was promised.
/// </summary>
/// <remarks>
/// The accounts are joined with their opening events on the server and compared here, one row at a time,
/// with the account the writer makes of the event. An account whose event is missing is left to
/// <c>outcomes-have-intents</c>, which reports it.
/// </remarks>
internal static class AccountsAsOpenedCheck
{
    private const string Name = "accounts-as-opened";
    private const string Title = "Every account's currency, owner and balance flags are what its opening asked for.";

    /// <summary>The verdict on every account of <paramref name="ledger"/>.</summary>
    public static async Task<CheckResult> RunAsync(NpgsqlDataSource dataSource, string ledger, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select a.id, a.currency, a.owner, a.debits_must_not_exceed_credits, a.credits_must_not_exceed_debits,
                   e.id, e.type, e.source, e.subject, e.partition_key, e.time, e.traceparent, e.data::text
            from ledger.accounts a
            join eventlog.events e on e.topic = $2 and e.id = a.opened_by_event
            where a.ledger = $1
            order by a.opened_at, a.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });

        var findings = new Findings(Name, Title);
        var accounts = 0L;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts++;
            var stored = (Id: reader.GetGuid(0), Currency: reader.GetString(1), Owner: reader.GetString(2),
                Limits: StoredNames.LimitsOf(reader.GetBoolean(3), reader.GetBoolean(4)));
            var opening = new EventEnvelope(reader.GetGuid(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetString(12));
            var asked = IntentDecoder.Decode(opening, ledger) is OpenAccountIntent intent ? intent.ToAccount(ledger) : null;
            var problem = asked is null || asked.Id != stored.Id ? $"was opened by event {opening.Id}, which does not open it"
                : asked.Currency != stored.Currency ? $"is in {stored.Currency}; its opening asked for {asked.Currency}"
                : asked.Owner != stored.Owner ? $"belongs to '{stored.Owner}'; its opening asked for '{asked.Owner}'"
                : asked.Limits != stored.Limits ? $"has balance flags {stored.Limits}; its opening asked for {asked.Limits}"
                : null;
            if (problem is not null)
            {
                findings.Add($"account {stored.Id}", problem);
            }
        }

        return findings.ToResult($"{accounts:N0} accounts compared with the openings that name them.");
    }
}
