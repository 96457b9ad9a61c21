using Npgsql;

namespace Payments.Audit.Checks;

/// <summary>
/// No entry or status change of the ledger's accounts lies outside what the other checks read. Those
/// read a ledger's rows by its name and up to the head, but an account's balances and status are its
/// latest entry and status change whatever ledger name they carry: a row stamped with another ledger's
/// name, or an entry past the head with no transfer behind it, would change what the writer and every
/// read see while every other check passes.
/// </summary>
/// <remarks>
/// Other ledgers' rows are found through the index on the ledger name, and entries past the head are
/// few, so the query stays small; it runs in one snapshot, in which a transfer the writer commits
/// meanwhile arrives with its entries.
/// </remarks>
internal static class StrayRowsCheck
{
    private const string Name = "no-stray-rows";
    private const string Title = "Every entry and status change of the ledger's accounts belongs to the ledger's chain.";

    /// <summary>The verdict on the rows of <paramref name="ledger"/>'s accounts, the chain read up to <paramref name="head"/>.</summary>
    public static async Task<CheckResult> RunAsync(NpgsqlDataSource dataSource, string ledger, long head, CancellationToken cancellationToken)
    {
        var findings = await ServerQuery.FindingsAsync(dataSource, new Findings(Name, Title), """
            select 'entry', e.account_id::text, e.account_seq, e.ledger, e.ledger_seq, 'is stamped with ledger ' || e.ledger
            from ledger.entries e
            where (e.ledger < $1 or e.ledger > $1)
              and exists (select 1 from ledger.accounts a where a.id = e.account_id and a.ledger = $1)
            union all
            select 'entry', e.account_id::text, e.account_seq, e.ledger, e.ledger_seq, 'belongs to no transfer of the chain'
            from ledger.entries e
            where e.ledger = $1 and e.ledger_seq > $2
              and not exists (select 1 from ledger.transfers t where t.ledger = e.ledger and t.seq = e.ledger_seq and t.id = e.transfer_id)
            union all
            select 'status change', v.account_id::text, v.status_seq, v.ledger, 0, 'is stamped with ledger ' || v.ledger
            from ledger.account_events v
            where (v.ledger < $1 or v.ledger > $1)
              and exists (select 1 from ledger.accounts a where a.id = v.account_id and a.ledger = $1)
            order by 2, 3
            """, [ledger, head], row =>
            ($"account {row.GetString(1)} #{row.GetInt64(2)}{(row.GetInt64(4) > 0 ? $" (seq {row.GetInt64(4)})" : string.Empty)}",
                $"this {row.GetString(0)} {row.GetString(5)}"),
            cancellationToken);

        return findings.ToResult($"Rows of the ledger's accounts outside its name, and entries past seq {head}, looked for.");
    }
}
