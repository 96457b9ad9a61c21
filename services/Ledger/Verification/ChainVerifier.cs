using Npgsql;
using Payments.Ledger.Domain;
using Payments.Ledger.Storage;

namespace Payments.Ledger.Verification;

/// <summary>
/// Recomputes a ledger's hash chain from the stored rows alone, in commit order, and reports the first
/// sequence where it breaks: a changed row no longer hashes to its stored hash, a removed row leaves a
/// gap, and rows moved to other positions hash differently where they now stand.
/// </summary>
public static class ChainVerifier
{
    private const int PageSize = 1000;

    /// <summary>Verifies the chain of <paramref name="ledger"/>, which its writer may be extending meanwhile.</summary>
    public static async Task<ChainVerification> VerifyAsync(NpgsqlDataSource dataSource, string ledger, CancellationToken cancellationToken)
    {
        var reads = new LedgerReadStore(dataSource);
        var head = ChainHead.Genesis;
        long verified = 0;
        long? unreached = null;
        while (true)
        {
            var page = await reads.ReadChainAsync(ledger, head.Sequence, PageSize, cancellationToken);
            foreach (var transfer in page)
            {
                var problem = Check(transfer, head);
                if (problem is not null)
                {
                    return Broken(verified, head, problem);
                }

                head = new ChainHead(transfer.Sequence, transfer.Hash);
                verified++;
            }

            // What was past the head before is verified now, or no longer found: either way it is looked for again.
            if (page.Count > 0)
            {
                unreached = null;
            }

            if (page.Count == PageSize)
            {
                continue;
            }

            // A transfer past the head is either one the writer committed after the page was read, which the
            // next read finds, or one the chain cannot reach; only a second read that finds nothing tells.
            if (page.Count == 0 && unreached is { } sequence)
            {
                return Broken(verified, head, $"transfer {sequence} exists but the chain cannot reach it (a transfer or its entries are missing)");
            }

            unreached = await FirstPastAsync(dataSource, ledger, head.Sequence, cancellationToken);
            if (unreached is null)
            {
                return new ChainVerification(verified, head.Sequence, Convert.ToHexStringLower(head.Hash), null, null);
            }
        }
    }

    private static ChainVerification Broken(long verified, ChainHead head, string problem) =>
        new(verified, head.Sequence, Convert.ToHexStringLower(head.Hash), head.Sequence + 1, problem);

    private static string? Check(Transfer transfer, ChainHead previous)
    {
        if (transfer.Sequence != previous.Sequence + 1)
        {
            return $"sequence {previous.Sequence + 1} is missing (the next transfer has sequence {transfer.Sequence})";
        }

        if (!transfer.PrevHash.AsSpan().SequenceEqual(previous.Hash))
        {
            return "prev_hash does not link to the previous transfer's hash";
        }

        return TransferHasher.Hash(previous.Hash, transfer).AsSpan().SequenceEqual(transfer.Hash)
            ? null
            : "the stored hash does not match the transfer and entries as stored";
    }

    // A transfer whose entries were removed drops out of the chain read (it joins its entries), so the
    // first transfer row past the verified head tells whether anything was skipped.
    private static async Task<long?> FirstPastAsync(NpgsqlDataSource dataSource, string ledger, long head, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select min(seq) from ledger.transfers where ledger = $1 and seq > $2");
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = head });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }
}
