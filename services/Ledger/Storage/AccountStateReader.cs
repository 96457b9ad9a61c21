using Npgsql;
using Payments.Ledger.Domain;

namespace Payments.Ledger.Storage;

/// <summary>
/// The one query shape for "an account and its balances": the account row joined with its latest entry.
/// Balances are never stored anywhere else.
/// </summary>
internal static class AccountStateReader
{
    /// <summary>Select list and joins; callers append their own <c>where</c> on alias <c>a</c>.</summary>
    public const string Select = """
        select a.id, a.ledger, a.currency, a.owner, a.debits_must_not_exceed_credits,
               a.credits_must_not_exceed_debits, a.opened_by_event, a.opened_at,
               e.account_seq, e.debits_posted, e.credits_posted, e.debits_pending, e.credits_pending,
               s.status, s.status_seq
        from ledger.accounts a
        left join lateral (
            select * from ledger.entries x where x.account_id = a.id order by x.account_seq desc limit 1
        ) e on true
        left join lateral (
            select * from ledger.account_events y where y.account_id = a.id order by y.status_seq desc limit 1
        ) s on true
        """;

    /// <summary>Reads the current row of a reader over <see cref="Select"/>.</summary>
    public static AccountState Read(NpgsqlDataReader reader)
    {
        var account = new Account(
            Id: reader.GetGuid(0),
            Ledger: reader.GetString(1),
            Currency: reader.GetString(2),
            Owner: reader.GetString(3),
            Limits: StoredNames.LimitsOf(reader.GetBoolean(4), reader.GetBoolean(5)),
            OpenedByEvent: reader.GetGuid(6),
            OpenedAt: reader.GetFieldValue<DateTimeOffset>(7));
        var status = StoredNames.StatusOf(reader.IsDBNull(13) ? null : reader.GetString(13));
        var statusSequence = reader.IsDBNull(14) ? 0 : reader.GetInt64(14);
        var balances = reader.IsDBNull(8)
            ? default
            : new Balances(reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12));
        return new AccountState(account, balances, reader.IsDBNull(8) ? 0 : reader.GetInt64(8), status, statusSequence);
    }
}
