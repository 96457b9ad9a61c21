using Npgsql;

namespace Payments.Audit.Checkpoints;

/// <summary>Reads and appends <c>audit.checkpoints</c>.</summary>
internal static class CheckpointStore
{
    /// <summary>How many of the latest checkpoints a run verifies; older ones were verified by earlier runs.</summary>
    public const int VerifiedMax = 1000;

    /// <summary>The latest checkpoints of <paramref name="ledger"/>, highest sequence first.</summary>
    public static async Task<List<Checkpoint>> LatestAsync(NpgsqlDataSource dataSource, string ledger, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select id, ledger, seq, head_hash, key_id, signature, signed_at from audit.checkpoints
            where ledger = $1 order by seq desc, signed_at desc limit $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = VerifiedMax });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var checkpoints = new List<Checkpoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            checkpoints.Add(new Checkpoint(reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3),
                reader.GetString(4), reader.GetFieldValue<byte[]>(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return checkpoints;
    }

    /// <summary>Appends <paramref name="checkpoint"/> as part of run <paramref name="runId"/>.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, Checkpoint checkpoint, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            insert into audit.checkpoints (id, ledger, seq, head_hash, key_id, signature, signed_at, run_id)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            """, connection);
        foreach (var value in new object[] { checkpoint.Id, checkpoint.Ledger, checkpoint.Sequence, checkpoint.HeadHash,
                     checkpoint.KeyId, checkpoint.Signature, checkpoint.SignedAt, runId })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
