using Npgsql;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>
/// What an attacker with superuser rights and the published hashing rules can do beyond plain SQL: forge rows
/// that hash correctly. The audit must still catch them.
/// </summary>
internal static class Attacker
{
    // The test ledgers are small; a bound keeps a mistake from reading without end.
    private const int ChainMax = 10_000;

    /// <summary>
    /// Appends a transfer with correct running balances and a correct chain hash, as the writer itself would
    /// have written it: by default one that no event caused, under an id of its own, posted unless <paramref name="shape"/>
    /// makes it another kind. Returns its id and sequence.
    /// </summary>
    public static async Task<(Guid Id, long Sequence)> InsertWellFormedTransferAsync(
        TestDatabase database, Guid from, Guid to, long amount, Guid? id = null, Guid? eventId = null,
        Func<TransferDraft, TransferDraft>? shape = null)
    {
        var reads = new LedgerReadStore(database.Superuser);
        var debit = (await reads.FindAccountAsync(from, CancellationToken.None))!;
        var credit = (await reads.FindAccountAsync(to, CancellationToken.None))!;
        var head = await HeadAsync(database.Superuser);
        var draft = new TransferDraft(id ?? Guid.NewGuid(), "main", TransferKind.Posted, from, to, amount, 0, debit.Account.Currency,
            eventId ?? Guid.NewGuid(), null, "mallory", DateTimeOffset.UtcNow);
        var posted = TransferPosting.Commit(shape?.Invoke(draft) ?? draft, debit, credit, head);
        var changes = new LedgerChanges();
        changes.Transfers.Add(posted.Transfer);
        await using var connection = await database.Superuser.OpenConnectionAsync();
        await LedgerWriteStore.InsertAsync(connection, changes, CancellationToken.None);
        return (posted.Transfer.Id, posted.Transfer.Sequence);
    }

    /// <summary>
    /// Changes the principal of transfer <paramref name="sequence"/> and recomputes every hash from there to the
    /// head, so the chain verifies again from genesis: only a checkpoint signed before can tell.
    /// </summary>
    public static async Task RewriteChainFromAsync(TestDatabase database, long sequence, string principal)
    {
        var reads = new LedgerReadStore(database.Superuser);
        var chain = await reads.ReadChainAsync("main", sequence - 1, ChainMax, CancellationToken.None);
        var previous = chain[0].PrevHash;
        await using var connection = await database.Superuser.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("set session_replication_role = replica", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        foreach (var original in chain)
        {
            var forged = original with { Principal = original.Sequence == sequence ? principal : original.Principal, PrevHash = previous };
            forged = forged with { Hash = TransferHasher.Hash(previous, forged) };
            await using var update = new NpgsqlCommand("update ledger.transfers set principal = $1, prev_hash = $2, hash = $3 where id = $4", connection);
            foreach (var value in new object[] { forged.Principal, forged.PrevHash, forged.Hash, forged.Id })
            {
                update.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await update.ExecuteNonQueryAsync();
            previous = forged.Hash;
        }
    }

    private static async Task<ChainHead> HeadAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("select seq, hash from ledger.transfers order by seq desc limit 1");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ChainHead(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
    }
}
