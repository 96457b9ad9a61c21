using Npgsql;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;
using Xunit;

namespace Payments.Testing;

/// <summary>
/// The money invariants, checked from the stored rows alone. Every test that changes the ledger ends by
/// asserting them, so a change that breaks one fails loudly wherever it happens.
/// </summary>
public static class LedgerInvariants
{
    private const int ChainPageSize = 1000;

    /// <summary>
    /// Per currency the entries sum to zero; every transfer has one debit and one credit of its amount;
    /// running balances equal the sums of the entries and account sequences are gapless; no balance flag
    /// was ever broken; commit sequences are gapless; the hash chain recomputes.
    /// </summary>
    public static async Task AssertHoldAsync(NpgsqlDataSource dataSource, string ledger = "main", bool verifyChain = true)
    {
        await AssertNoRowsAsync(dataSource, "per-currency sum of entries is zero", """
            select currency from ledger.entries group by currency
            having sum(case direction when 'D' then -amount_minor else amount_minor end) <> 0
            """);
        await AssertNoRowsAsync(dataSource, "every transfer has exactly its debit and its credit entry", """
            select t.id from ledger.transfers t
            where (select count(*) from ledger.entries e where e.transfer_id = t.id) <> 2
               or not exists (select 1 from ledger.entries d where d.transfer_id = t.id and d.direction = 'D'
                              and d.account_id = t.debit_account_id and d.amount_minor = t.amount_minor and d.currency = t.currency)
               or not exists (select 1 from ledger.entries c where c.transfer_id = t.id and c.direction = 'C'
                              and c.account_id = t.credit_account_id and c.amount_minor = t.amount_minor and c.currency = t.currency)
            """);
        await AssertNoRowsAsync(dataSource, "running balances equal the sums of the entries, sequences gapless", """
            select account_id, account_seq from (
                select e.*,
                       sum(case when e.direction = 'D' then d.posted else 0 end) over w as debits,
                       sum(case when e.direction = 'C' then d.posted else 0 end) over w as credits,
                       sum(case when e.direction = 'D' then d.pending else 0 end) over w as debits_held,
                       sum(case when e.direction = 'C' then d.pending else 0 end) over w as credits_held,
                       row_number() over w as position
                from ledger.entries e
                join ledger.transfers t on t.id = e.transfer_id
                left join ledger.transfers h on h.id = t.pending_id
                cross join lateral (select
                    case when t.kind in ('POSTED', 'POST_PENDING', 'REVERSAL') then e.amount_minor else 0 end as posted,
                    case t.kind when 'PENDING' then e.amount_minor
                                when 'POST_PENDING' then -h.amount_minor
                                when 'VOID_PENDING' then -e.amount_minor
                                else 0 end as pending) d
                window w as (partition by e.account_id order by e.account_seq)) x
            where x.debits_posted <> x.debits or x.credits_posted <> x.credits
               or x.debits_pending <> x.debits_held or x.credits_pending <> x.credits_held
               or x.account_seq <> x.position
            """);
        await AssertNoRowsAsync(dataSource, "a hold is resolved once, by a post of at most its amount or a release of all of it", """
            select r.id from ledger.transfers r join ledger.transfers h on h.id = r.pending_id
            where h.kind <> 'PENDING' or r.debit_account_id <> h.debit_account_id or r.credit_account_id <> h.credit_account_id
               or (r.kind = 'POST_PENDING' and r.amount_minor > h.amount_minor)
               or (r.kind = 'VOID_PENDING' and r.amount_minor <> h.amount_minor)
            """);
        await AssertNoRowsAsync(dataSource, "reversals move back at most what was posted, between the same accounts", """
            select o.id from ledger.transfers o join ledger.transfers r on r.reversal_of = o.id
            group by o.id, o.amount_minor, o.kind
            having sum(r.amount_minor) > o.amount_minor or o.kind not in ('POSTED', 'POST_PENDING')
                or bool_or(r.debit_account_id <> o.credit_account_id or r.credit_account_id <> o.debit_account_id)
            """);
        await AssertNoRowsAsync(dataSource, "no account ever broke its balance flags", """
            select e.account_id, e.account_seq from ledger.entries e join ledger.accounts a on a.id = e.account_id
            where (a.debits_must_not_exceed_credits and e.debits_posted + e.debits_pending > e.credits_posted)
               or (a.credits_must_not_exceed_debits and e.credits_posted + e.credits_pending > e.debits_posted)
            """);
        // The hot tables carry no foreign keys (ADR 0040): the writer keeps these references on its own.
        await AssertNoRowsAsync(dataSource, "every reference names an existing account or transfer of the same ledger and currency", """
            select t.id from ledger.transfers t
            left join ledger.accounts d on d.id = t.debit_account_id and d.ledger = t.ledger and d.currency = t.currency
            left join ledger.accounts c on c.id = t.credit_account_id and c.ledger = t.ledger and c.currency = t.currency
            left join ledger.transfers p on p.id = t.pending_id and p.ledger = t.ledger
            left join ledger.transfers o on o.id = t.reversal_of and o.ledger = t.ledger
            where d.id is null or c.id is null or (t.pending_id is not null and p.id is null) or (t.reversal_of is not null and o.id is null)
            union all
            select e.transfer_id from ledger.entries e
            left join ledger.accounts a on a.id = e.account_id and a.ledger = e.ledger and a.currency = e.currency
            left join ledger.transfers t on t.id = e.transfer_id and t.ledger = e.ledger
            where a.id is null or t.id is null
            union all
            select p.transfer_id from ledger.payouts p left join ledger.transfers t on t.id = p.transfer_id and t.kind = 'PENDING'
            where t.id is null
            """);
        await AssertNoRowsAsync(dataSource, "commit sequences are gapless per ledger", """
            select ledger from ledger.transfers group by ledger having min(seq) <> 1 or max(seq) <> count(*)
            """);
        if (verifyChain)
        {
            await AssertChainVerifiesAsync(dataSource, ledger);
        }
    }

    /// <summary>
    /// Every intent in the log has exactly one outcome: an account, a transfer or a rejection. An event too
    /// malformed to name its intent is rejected under its own event id.
    /// </summary>
    public static async Task AssertEveryIntentHasOneOutcomeAsync(NpgsqlDataSource dataSource)
    {
        await AssertNoRowsAsync(dataSource, "every intent has exactly one outcome", """
            select e.subject from eventlog.events e
            cross join lateral (select case when e.subject ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                            then e.subject::uuid end as id) s
            where e.topic = 'payments' and e.type not in ('events.v1.LedgerClockTicked', 'events.v1.SettlementSucceeded', 'events.v1.SettlementFailed')
              and (select count(*) from ledger.accounts a where a.id = s.id)
                + (select count(*) from ledger.account_events c where c.change_id = s.id)
                + (select count(*) from ledger.transfers t where t.id = s.id)
                + (select count(*) from ledger.rejections r where r.intent_id = s.id)
                + (select count(*) from ledger.rejections r where r.event_id = e.id and r.intent_id is distinct from s.id) <> 1
            """);

        // A payout's settlement results (a rail may answer twice) have one outcome between them: the first
        // result's post, void or rejection; later ones are no effect at all.
        await AssertNoRowsAsync(dataSource, "every payout's settlement results have exactly one outcome", """
            select e.subject from eventlog.events e
            where e.topic = 'payments' and e.type in ('events.v1.SettlementSucceeded', 'events.v1.SettlementFailed')
            group by e.subject
            having (select count(*) from ledger.transfers t where t.event_id = any(array_agg(e.id)))
                 + (select count(*) from ledger.rejections r where r.event_id = any(array_agg(e.id))) <> 1
            """);
    }

    /// <summary>Recomputes every transfer's hash in commit order and checks each link.</summary>
    public static async Task AssertChainVerifiesAsync(NpgsqlDataSource dataSource, string ledger)
    {
        var reads = new LedgerReadStore(dataSource);
        var head = ChainHead.Genesis;
        while (true)
        {
            var page = await reads.ReadChainAsync(ledger, head.Sequence, ChainPageSize, CancellationToken.None);
            foreach (var transfer in page)
            {
                Assert.True(transfer.Sequence == head.Sequence + 1, $"transfer sequence {transfer.Sequence} follows {head.Sequence}");
                Assert.True(transfer.PrevHash.AsSpan().SequenceEqual(head.Hash), $"prev_hash of sequence {transfer.Sequence} links to its predecessor");
                Assert.True(TransferHasher.Hash(head.Hash, transfer).AsSpan().SequenceEqual(transfer.Hash), $"hash of sequence {transfer.Sequence} recomputes");
                head = new ChainHead(transfer.Sequence, transfer.Hash);
            }

            if (page.Count < ChainPageSize)
            {
                return;
            }
        }
    }

    private static async Task AssertNoRowsAsync(NpgsqlDataSource dataSource, string invariant, string sql)
    {
        await using var command = dataSource.CreateCommand(sql + " limit 5");
        await using var reader = await command.ExecuteReaderAsync();
        var offenders = new List<string>();
        while (await reader.ReadAsync())
        {
            offenders.Add(string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i))));
        }

        Assert.True(offenders.Count == 0, $"Invariant broken: {invariant}. First offenders: {string.Join("; ", offenders)}");
    }
}
