using Npgsql;
using Payments.Contracts;
using Payments.Contracts.LedgerV1;
using Payments.Ledger.Domain;
using Account = Payments.Ledger.Domain.Account;
using Entry = Payments.Ledger.Domain.Entry;
using Transfer = Payments.Ledger.Domain.Transfer;

namespace Payments.Ledger.Storage;

/// <summary>The queries behind LedgerService. Read-only.</summary>
internal sealed class LedgerReadStore(NpgsqlDataSource dataSource)
{
    /// <summary>What became of an account opening: the account, or the code it was refused with.</summary>
    public sealed record AccountOutcome(AccountState? Account, ResultCode Rejection);

    /// <summary>The account with its balances, or null.</summary>
    public async Task<AccountState?> FindAccountAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{AccountStateReader.Select} where a.id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? AccountStateReader.Read(reader) : null;
    }

    /// <summary>The outcome of opening account <paramref name="id"/>, or null while the writer has not decided.</summary>
    public async Task<AccountOutcome?> FindAccountOutcomeAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(id, cancellationToken);
        if (account is not null)
        {
            return new AccountOutcome(account, ResultCode.Unspecified);
        }

        await using var command = dataSource.CreateCommand("select code from ledger.rejections where intent_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) is string code
            ? new AccountOutcome(null, ResultCodeReasons.FromReason(code))
            : null;
    }

    /// <summary>
    /// The outcome of status change <paramref name="changeId"/>: the account as it is now, or the code the
    /// change was refused with; null while the writer has not decided.
    /// </summary>
    public async Task<AccountOutcome?> FindStatusChangeOutcomeAsync(Guid changeId, Guid accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select exists (select 1 from ledger.account_events where change_id = $1),
                   (select code from ledger.rejections where intent_id = $1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = changeId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var applied = reader.GetBoolean(0);
        var code = reader.IsDBNull(1) ? null : reader.GetString(1);
        await reader.CloseAsync();
        return applied ? new AccountOutcome(await FindAccountAsync(accountId, cancellationToken), ResultCode.Unspecified)
            : code is not null ? new AccountOutcome(null, ResultCodeReasons.FromReason(code))
            : null;
    }

    /// <summary>The account's latest entry at or before ledger sequence <paramref name="ledgerSequence"/>, or null.</summary>
    public async Task<Entry?> FindLatestEntryAsync(Guid accountId, long ledgerSequence, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            select {EntryColumns} from ledger.entries
            where account_id = $1 and ledger_seq <= $2
            order by account_seq desc
            limit 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = ledgerSequence });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEntry(reader, 0) : null;
    }

    /// <summary>The sequence of the ledger's last committed transfer, or 0 before its first.</summary>
    public async Task<long> FindHeadSequenceAsync(string ledger, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select coalesce(max(seq), 0) from ledger.transfers where ledger = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The earliest expiry among holds still open, or null when there are none.</summary>
    public async Task<DateTimeOffset?> FindNextHoldExpiryAsync(string ledger, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select min(p.expires_at) from ledger.transfers p
            where p.ledger = $1 and p.kind = 'PENDING'
              and not exists (select 1 from ledger.transfers r where r.pending_id = p.id)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime earliest
            ? new DateTimeOffset(DateTime.SpecifyKind(earliest, DateTimeKind.Utc))
            : null;
    }

    /// <summary>The payload of the intent event <paramref name="eventId"/> as recorded in the log, or null.</summary>
    public async Task<string?> FindIntentDataAsync(Guid eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select data::text from eventlog.events where topic = $1 and id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Up to <paramref name="limit"/> entries of an account after <paramref name="afterSequence"/>.</summary>
    public async Task<List<Entry>> ListEntriesAsync(Guid accountId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            select {EntryColumns} from ledger.entries
            where account_id = $1 and account_seq > $2
            order by account_seq
            limit $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var entries = new List<Entry>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader, 0));
        }

        return entries;
    }

    /// <summary>The transfer with its two entries, or null.</summary>
    public async Task<Transfer?> FindTransferAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{TransferSelect} where t.id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadTransfer(reader) : null;
    }

    /// <summary>Up to <paramref name="limit"/> transfers of <paramref name="ledger"/> after <paramref name="afterSequence"/>, in commit order.</summary>
    public async Task<List<Transfer>> ReadChainAsync(string ledger, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{TransferSelect} where t.ledger = $1 and t.seq > $2 order by t.seq limit $3");
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var transfers = new List<Transfer>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            transfers.Add(ReadTransfer(reader));
        }

        return transfers;
    }

    private static readonly string TransferSelect = $"""
        select t.id, t.ledger, t.seq, t.debit_account_id, t.credit_account_id, t.amount_minor, t.currency, t.kind,
               t.event_id, t.trace_id, t.principal, t.created_at, t.prev_hash, t.hash,
               {Prefixed("d")}, {Prefixed("c")},
               t.pending_id, t.reversal_of, t.expires_at, t.expired
        from ledger.transfers t
        join ledger.entries d on d.transfer_id = t.id and d.direction = 'D'
        join ledger.entries c on c.transfer_id = t.id and c.direction = 'C'
        """;

    private static Transfer ReadTransfer(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetGuid(4),
            reader.GetInt64(5), reader.GetString(6), StoredNames.KindOf(reader.GetString(7)), reader.GetGuid(8),
            reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetString(10), reader.GetFieldValue<DateTimeOffset>(11),
            ReadEntry(reader, 14), ReadEntry(reader, 14 + EntryColumnCount),
            reader.GetFieldValue<byte[]>(12), reader.GetFieldValue<byte[]>(13))
        {
            PendingId = reader.IsDBNull(TransferTail) ? null : reader.GetGuid(TransferTail),
            ReversalOfId = reader.IsDBNull(TransferTail + 1) ? null : reader.GetGuid(TransferTail + 1),
            ExpiresAt = reader.IsDBNull(TransferTail + 2) ? null : reader.GetFieldValue<DateTimeOffset>(TransferTail + 2),
            Expired = reader.GetBoolean(TransferTail + 3),
        };

    // The columns after the two entries in TransferSelect.
    private const int TransferTail = 14 + (2 * EntryColumnCount);

    private const string EntryColumns = "account_id, account_seq, transfer_id, ledger, ledger_seq, direction, amount_minor, " +
        "currency, debits_posted, credits_posted, debits_pending, credits_pending, created_at";

    private const int EntryColumnCount = 13;

    private static string Prefixed(string alias) =>
        string.Join(", ", EntryColumns.Split(", ").Select(column => $"{alias}.{column}"));

    private static Entry ReadEntry(NpgsqlDataReader reader, int first) => new(
        AccountId: reader.GetGuid(first),
        AccountSequence: reader.GetInt64(first + 1),
        TransferId: reader.GetGuid(first + 2),
        Ledger: reader.GetString(first + 3),
        LedgerSequence: reader.GetInt64(first + 4),
        Direction: StoredNames.DirectionOf(reader.GetString(first + 5)),
        AmountMinor: reader.GetInt64(first + 6),
        Currency: reader.GetString(first + 7),
        BalancesAfter: new Balances(reader.GetInt64(first + 8), reader.GetInt64(first + 9), reader.GetInt64(first + 10), reader.GetInt64(first + 11)),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(first + 12));
}
