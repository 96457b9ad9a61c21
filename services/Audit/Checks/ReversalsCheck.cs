using Npgsql;

namespace Payments.Audit.Checks;

/// <summary>
/// Every reversal undoes part of an earlier posted transfer of the same ledger: it moves the money back
/// between the same two accounts in the same currency, and a transfer's reversals together return no
/// more than it moved. A reversal forged with correct running balances and a correct hash passes every
/// other check; only its original can betray it.
/// </summary>
/// <remarks>
/// Reversals are few, so PostgreSQL finds them through the index on <c>reversal_of</c> and groups them by
/// the transfer they name; only the groups that break a rule come back. It stops at the scan's head, so
/// the writer may keep reversing meanwhile.
/// </remarks>
internal static class ReversalsCheck
{
    private const string Name = "reversals-within-originals";
    private const string Title = "Every reversal returns part of an earlier posted transfer, to where it came from.";

    /// <summary>The verdict on the reversals up to <paramref name="head"/>.</summary>
    public static async Task<CheckResult> RunAsync(NpgsqlDataSource dataSource, string ledger, long head, CancellationToken cancellationToken)
    {
        var findings = await ServerQuery.FindingsAsync(dataSource, new Findings(Name, Title), """
            with named as (
                select r.reversal_of as original_id, min(r.seq) as first_seq, count(*) as reversals,
                       sum(r.amount_minor) as reversed_minor, o.seq, o.ledger, o.kind, o.amount_minor,
                       bool_or(r.kind <> 'REVERSAL') as not_reversals,
                       bool_or(r.debit_account_id <> o.credit_account_id or r.credit_account_id <> o.debit_account_id
                               or r.currency <> o.currency) as misdirected,
                       bool_or(r.seq <= o.seq) as not_later
                from ledger.transfers r
                left join ledger.transfers o on o.id = r.reversal_of
                where r.reversal_of is not null and r.ledger = $1 and r.seq <= $2
                group by r.reversal_of, o.seq, o.ledger, o.kind, o.amount_minor
            )
            select first_seq, original_id::text, reversals, reversed_minor::text, seq, ledger, kind, amount_minor,
                   not_reversals, misdirected, not_later
            from named
            where seq is null or ledger <> $1 or kind not in ('POSTED', 'POST_PENDING') or reversed_minor > amount_minor
               or not_reversals or misdirected or not_later
            union all
            -- The table's check ties the kind to the reference, but a superuser can drop it: a reversal that
            -- names nothing would then pass every rule above.
            select seq, '', 1, amount_minor::text, null, null, null, null, false, false, false
            from ledger.transfers
            where kind = 'REVERSAL' and reversal_of is null and ledger = $1 and seq <= $2
            order by 1
            """, [ledger, head],
            row => ($"seq {row.GetInt64(0)} ({row.GetInt64(2)} reversal(s) of transfer {row.GetString(1)})", Problem(row, ledger)), cancellationToken);

        return findings.ToResult($"Reversals up to seq {head} checked against the transfers they name.");
    }

    private static string Problem(NpgsqlDataReader row, string ledger)
    {
        if (row.IsDBNull(4))
        {
            return row.GetString(1).Length == 0 ? "is a REVERSAL that names no transfer it reverses" : "names a transfer that does not exist";
        }

        var (kind, amount) = (row.GetString(6), row.GetInt64(7));
        return row.GetString(5) != ledger ? $"names a transfer of ledger {row.GetString(5)}"
            : kind is not ("POSTED" or "POST_PENDING") ? $"names a {kind} transfer, which cannot be reversed"
            : row.GetBoolean(8) ? "is not a REVERSAL, yet names a transfer it reverses"
            : row.GetBoolean(10) ? $"comes before the transfer it reverses (seq {row.GetInt64(4)})"
            : row.GetBoolean(9) ? "does not move the money back between the same accounts in the same currency"
            : $"returns {row.GetString(3)} in all, of a transfer that moved {amount}";
    }
}
