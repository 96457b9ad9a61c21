using Npgsql;

namespace Payments.Api.Storage;

/// <summary>
/// Who owns which account, read from <c>ledger.accounts</c> with the API's read-only role. The API
/// checks ownership before it appends an intent, so a refused debit leaves nothing in the log.
/// </summary>
internal sealed class AccountOwners(NpgsqlDataSource dataSource)
{
    /// <summary>The owners of those of <paramref name="accountIds"/> that exist, by account id.</summary>
    public async Task<Dictionary<Guid, string>> FindAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<Guid, string>();
        if (accountIds.Count == 0)
        {
            return owners;
        }

        await using var command = dataSource.CreateCommand("select id, owner from ledger.accounts where id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = accountIds.Distinct().ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners[reader.GetGuid(0)] = reader.GetString(1);
        }

        return owners;
    }
}
