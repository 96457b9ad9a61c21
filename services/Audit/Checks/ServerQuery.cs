using Npgsql;

namespace Payments.Audit.Checks;

/// <summary>
/// The shape of the checks PostgreSQL answers on its own: one query whose every row is a problem, so
/// only the offending rows travel to the auditor.
/// </summary>
internal static class ServerQuery
{
    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameters"/> and adds a finding per row, as <paramref name="describe"/> words it.</summary>
    public static async Task<Findings> FindingsAsync(NpgsqlDataSource dataSource, Findings findings, string sql, object[] parameters,
        Func<NpgsqlDataReader, (string Where, string Problem)> describe, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (where, problem) = describe(reader);
            findings.Add(where, problem);
        }

        return findings;
    }
}
