using Npgsql;
using NpgsqlTypes;
using Payments.Contracts;
using Payments.Ledger.Domain;
using Payments.Ledger.Writer;
using Payments.Postgres;

namespace Payments.Ledger.Storage;

/// <summary>The writer's SQL: loading the state it decides on, and inserting a batch's rows set-wise.</summary>
internal static class LedgerWriteStore
{
    /// <summary>The latest transfer of <paramref name="ledger"/>, or the genesis head.</summary>
    public static async Task<ChainHead> LoadChainHeadAsync(NpgsqlConnection connection, string ledger, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select seq, hash from ledger.transfers where ledger = $1 order by seq desc limit 1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChainHead(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : ChainHead.Genesis;
    }

    /// <summary>Which of <paramref name="intentIds"/> already have an outcome: an account, a transfer or a rejection.</summary>
    public static async Task<HashSet<Guid>> FindRecordedIntentsAsync(
        NpgsqlConnection connection, Guid[] intentIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select id from ledger.accounts where id = any($1)
            union all select change_id from ledger.account_events where change_id = any($1)
            union all select id from ledger.transfers where id = any($1)
            union all select intent_id from ledger.rejections where intent_id = any($1)
            union all select event_id from ledger.clock_ticks where event_id = any($1)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = intentIds });
        var recorded = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded.Add(reader.GetGuid(0));
        }

        return recorded;
    }

    /// <summary>Loads the accounts among <paramref name="ids"/> that exist, with balances from their latest entry.</summary>
    public static async Task<List<AccountState>> LoadAccountsAsync(
        NpgsqlConnection connection, List<Guid> ids, CancellationToken cancellationToken)
    {
        // The writer's books usually hold every account a batch needs; then there is nothing to ask.
        if (ids.Count == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand($"""
            {AccountStateReader.Select}
            where a.id = any($1)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        var states = new List<AccountState>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(AccountStateReader.Read(reader));
        }

        return states;
    }

    /// <summary>The committed transfers among <paramref name="ids"/>, with what became of holds and how much was reversed.</summary>
    public static async Task<List<TransferState>> LoadTransfersAsync(
        NpgsqlConnection connection, string ledger, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand("""
            select t.id, t.ledger, t.kind, t.debit_account_id, t.credit_account_id, t.amount_minor, t.currency, t.seq,
                   t.expires_at, r.kind, coalesce(r.expired, false),
                   coalesce((select sum(x.amount_minor) from ledger.transfers x where x.reversal_of = t.id), 0)::bigint,
                   p.transfer_id is not null
            from ledger.transfers t
            left join ledger.transfers r on r.pending_id = t.id
            left join ledger.payouts p on p.transfer_id = t.id
            where t.id = any($1) and t.ledger = $2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        var states = new List<TransferState>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(new TransferState(reader.GetGuid(0), reader.GetString(1), StoredNames.KindOf(reader.GetString(2)),
                reader.GetGuid(3), reader.GetGuid(4), reader.GetInt64(5), reader.GetString(6), reader.GetInt64(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                StoredNames.ResolutionOf(reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetBoolean(10)),
                reader.GetInt64(11)) { IsPayout = reader.GetBoolean(12) });
        }

        return states;
    }

    /// <summary>
    /// The first <paramref name="limit"/> holds of <paramref name="ledger"/> still open and expired at
    /// <paramref name="now"/>, in the order a tick releases them (expiry, then sequence).
    /// </summary>
    public static async Task<List<Guid>> FindOpenHoldsExpiredAtAsync(
        NpgsqlConnection connection, string ledger, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select p.id from ledger.transfers p
            where p.ledger = $1 and p.kind = 'PENDING' and p.expires_at <= $2
              and not exists (select 1 from ledger.transfers r where r.pending_id = p.id)
            order by p.expires_at, p.seq
            limit $3
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>
    /// Inserts every row of <paramref name="changes"/>: the few account and rejection rows in one batch,
    /// then transfers and entries, which grow with every payment, by binary COPY.
    /// </summary>
    public static async Task InsertAsync(NpgsqlConnection connection, LedgerChanges changes, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (changes.OpenedAccounts.Count > 0)
        {
            batch.BatchCommands.Add(InsertAccounts(changes.OpenedAccounts));
        }

        if (changes.AccountEvents.Count > 0)
        {
            batch.BatchCommands.Add(InsertAccountEvents(changes.AccountEvents));
        }

        if (changes.Rejections.Count > 0)
        {
            batch.BatchCommands.Add(InsertRejections(changes.Rejections));
        }

        if (changes.Ticks.Count > 0)
        {
            batch.BatchCommands.Add(InsertTicks(changes.Ticks));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        if (changes.Transfers.Count > 0)
        {
            await CopyTransfersAsync(connection, changes.Transfers, cancellationToken);
            await CopyEntriesAsync(connection, changes.Transfers, cancellationToken);
        }

        // After the transfers they mark, which they reference.
        if (changes.Payouts.Count > 0)
        {
            await using var payouts = new NpgsqlBatch(connection);
            payouts.BatchCommands.Add(InsertPayouts(changes.Payouts));
            await payouts.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static Task CopyTransfersAsync(NpgsqlConnection connection, List<Transfer> transfers, CancellationToken cancellationToken)
    {
        var copy = new BinaryCopy();
        foreach (var t in transfers)
        {
            copy.StartRow(18);
            copy.Uuid(t.Id);
            copy.Text(t.Ledger);
            copy.Int64(t.Sequence);
            copy.Uuid(t.DebitAccountId);
            copy.Uuid(t.CreditAccountId);
            copy.Int64(t.AmountMinor);
            copy.Text(t.Currency);
            copy.Text(StoredNames.Of(t.Kind));
            copy.Uuid(t.EventId);
            copy.Text(t.TraceId);
            copy.Text(t.Principal);
            copy.TimestampTz(t.CreatedAt);
            copy.Bytes(t.PrevHash);
            copy.Bytes(t.Hash);
            copy.Uuid(t.PendingId);
            copy.Uuid(t.ReversalOfId);
            copy.TimestampTz(t.ExpiresAt);
            copy.Boolean(t.Expired);
        }

        return copy.SendAsync(connection, """
            copy ledger.transfers (id, ledger, seq, debit_account_id, credit_account_id, amount_minor, currency, kind, event_id,
                                   trace_id, principal, created_at, prev_hash, hash, pending_id, reversal_of, expires_at, expired)
            from stdin (format binary)
            """, cancellationToken);
    }

    private static Task CopyEntriesAsync(NpgsqlConnection connection, List<Transfer> transfers, CancellationToken cancellationToken)
    {
        var copy = new BinaryCopy();
        foreach (var e in transfers.SelectMany(t => new[] { t.Debit, t.Credit }))
        {
            copy.StartRow(13);
            copy.Uuid(e.AccountId);
            copy.Int64(e.AccountSequence);
            copy.Uuid(e.TransferId);
            copy.Text(e.Ledger);
            copy.Int64(e.LedgerSequence);
            copy.Text(StoredNames.Of(e.Direction));
            copy.Int64(e.AmountMinor);
            copy.Text(e.Currency);
            copy.Int64(e.BalancesAfter.DebitsPosted);
            copy.Int64(e.BalancesAfter.CreditsPosted);
            copy.Int64(e.BalancesAfter.DebitsPending);
            copy.Int64(e.BalancesAfter.CreditsPending);
            copy.TimestampTz(e.CreatedAt);
        }

        return copy.SendAsync(connection, """
            copy ledger.entries (account_id, account_seq, transfer_id, ledger, ledger_seq, direction, amount_minor, currency,
                                 debits_posted, credits_posted, debits_pending, credits_pending, created_at)
            from stdin (format binary)
            """, cancellationToken);
    }

    private static NpgsqlBatchCommand InsertAccounts(List<Account> accounts) => Command("""
        insert into ledger.accounts (id, ledger, currency, owner, debits_must_not_exceed_credits,
                                     credits_must_not_exceed_debits, opened_by_event, opened_at)
        select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::uuid[], $8::timestamptz[])
        """,
        accounts.Select(a => a.Id).ToArray(),
        accounts.Select(a => a.Ledger).ToArray(),
        accounts.Select(a => a.Currency).ToArray(),
        accounts.Select(a => a.Owner).ToArray(),
        accounts.Select(a => a.Limits.HasFlag(AccountLimits.DebitsMustNotExceedCredits)).ToArray(),
        accounts.Select(a => a.Limits.HasFlag(AccountLimits.CreditsMustNotExceedDebits)).ToArray(),
        accounts.Select(a => a.OpenedByEvent).ToArray(),
        accounts.Select(a => a.OpenedAt.ToUniversalTime()).ToArray());

    private static NpgsqlBatchCommand InsertAccountEvents(List<AccountEvent> events) => Command("""
        insert into ledger.account_events (change_id, account_id, status_seq, ledger, status, event_id, principal, changed_at)
        select * from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::timestamptz[])
        """,
        events.Select(e => e.ChangeId).ToArray(),
        events.Select(e => e.AccountId).ToArray(),
        events.Select(e => e.StatusSequence).ToArray(),
        events.Select(e => e.Ledger).ToArray(),
        events.Select(e => StoredNames.Of(e.Status)).ToArray(),
        events.Select(e => e.EventId).ToArray(),
        events.Select(e => e.Principal).ToArray(),
        events.Select(e => e.ChangedAt.ToUniversalTime()).ToArray());

    private static NpgsqlBatchCommand InsertTicks(List<AppliedTick> ticks) => Command("""
        insert into ledger.clock_ticks (event_id, ledger, now)
        select * from unnest($1::uuid[], $2::text[], $3::timestamptz[])
        """,
        ticks.Select(t => t.EventId).ToArray(),
        ticks.Select(t => t.Ledger).ToArray(),
        ticks.Select(t => t.Now.ToUniversalTime()).ToArray());

    private static NpgsqlBatchCommand InsertPayouts(List<Payout> payouts) => Command("""
        insert into ledger.payouts (transfer_id, ledger, beneficiary, reserved_at)
        select * from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
        """,
        payouts.Select(p => p.TransferId).ToArray(),
        payouts.Select(p => p.Ledger).ToArray(),
        payouts.Select(p => p.Beneficiary).ToArray(),
        payouts.Select(p => p.ReservedAt.ToUniversalTime()).ToArray());

    private static NpgsqlBatchCommand InsertRejections(List<Rejection> rejections)
    {
        var command = Command("""
            insert into ledger.rejections (intent_id, event_id, intent_type, ledger, code, principal, trace_id, intent, rejected_at)
            select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[])
            """,
            rejections.Select(r => r.IntentId).ToArray(),
            rejections.Select(r => r.EventId).ToArray(),
            rejections.Select(r => r.IntentType).ToArray(),
            rejections.Select(r => r.Ledger).ToArray(),
            rejections.Select(r => r.Code.Reason()).ToArray(),
            rejections.Select(r => r.Principal).ToArray(),
            rejections.Select(r => r.TraceId).ToArray(),
            rejections.Select(r => r.IntentJson).ToArray(),
            rejections.Select(r => r.RejectedAt.ToUniversalTime()).ToArray());
        command.Parameters[7].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb;
        return command;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] arrays)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var array in arrays)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = array });
        }

        return command;
    }
}
