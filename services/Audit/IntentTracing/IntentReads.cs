using Npgsql;

namespace Payments.Audit.IntentTracing;

/// <summary>Runs <see cref="IntentSql"/>'s queries on one connection, inside the caller's snapshot.</summary>
internal static class IntentReads
{
    // A bound on the ids sent in one lookup; a badly broken ledger can name every outcome.
    private const int LookupBatchMax = 10_000;

    /// <summary>The pairs that do not match at a glance (<see cref="IntentSql.Unmatched"/>).</summary>
    public static Task<List<IntentOutcomePair>> UnmatchedAsync(NpgsqlConnection connection, string ledger, CancellationToken cancellationToken) =>
        PairsAsync(connection, IntentSql.Unmatched, ledger, [], cancellationToken);

    /// <summary>Every outcome row recorded under one of <paramref name="ids"/>, with its causing intent if there is one.</summary>
    public static async Task<List<IntentOutcomePair>> OutcomesWithIdsAsync(
        NpgsqlConnection connection, string ledger, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var pairs = new List<IntentOutcomePair>();
        foreach (var batch in ids.Chunk(LookupBatchMax))
        {
            pairs.AddRange(await PairsAsync(connection, IntentSql.OutcomesWithIds, ledger, [batch], cancellationToken));
        }

        return pairs;
    }

    /// <summary>
    /// The ids more than one outcome row is recorded under. The outcome tables' unique indexes already keep each
    /// table from repeating an id, so only ids shared across tables are looked for, unless an index is missing
    /// or not in force; then every row is counted (ADR 0025).
    /// </summary>
    public static async Task<List<Guid>> SharedOutcomeIdsAsync(NpgsqlConnection connection, string ledger, CancellationToken cancellationToken)
    {
        var unguarded = await UncheckedOutcomeTablesAsync(connection, cancellationToken);
        await using var command = IntentSql.Command(
            connection, unguarded.Count == 0 ? IntentSql.SharedOutcomeIds : IntentSql.SharedOutcomeIdsRecounted, ledger);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>The outcome tables whose ids no unique index guards (<see cref="IntentSql.UncheckedOutcomeTables"/>).</summary>
    public static async Task<List<string>> UncheckedOutcomeTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(IntentSql.UncheckedOutcomeTables, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>How many intents of the ledger come after <paramref name="consumedOffset"/>.</summary>
    public static async Task<long> InFlightAsync(NpgsqlConnection connection, string ledger, long consumedOffset, CancellationToken cancellationToken)
    {
        await using var command = IntentSql.Command(connection, IntentSql.InFlight, ledger, consumedOffset);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // Columns: the intent (seq, event id, type, payload id), then the outcome (kind, id, event id, seq, by clock).
    private static async Task<List<IntentOutcomePair>> PairsAsync(
        NpgsqlConnection connection, string sql, string ledger, object[] more, CancellationToken cancellationToken)
    {
        await using var command = IntentSql.Command(connection, sql, ledger, more);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pairs = new List<IntentOutcomePair>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var intent = reader.IsDBNull(1)
                ? null
                : LoggedIntent.Of(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            var outcome = reader.IsDBNull(5)
                ? null
                : new RecordedOutcome(reader.GetString(4), reader.GetGuid(5), reader.GetGuid(6), reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetBoolean(8));
            pairs.Add(new IntentOutcomePair(intent, outcome));
        }

        return pairs;
    }
}
