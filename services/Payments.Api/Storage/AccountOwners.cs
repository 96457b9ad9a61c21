using Microsoft.Extensions.Options;
using Npgsql;
using Payments.ServiceDefaults.Caching;

namespace Payments.Api.Storage;

/// <summary>
/// Who owns which account, read from <c>ledger.accounts</c> with the API's read-only role. The API
/// checks ownership before it appends an intent, so a refused debit leaves nothing in the log.
/// </summary>
/// <remarks>
/// An account's owner never changes (the table refuses updates and deletes), so an owner once read is
/// remembered: a client paying from its own accounts costs no read per call. An account that was not
/// found is not remembered, as it may be opened a moment later.
/// </remarks>
internal sealed class AccountOwners(NpgsqlDataSource dataSource, IOptions<PaymentApiOptions> options)
{
    private readonly BoundedCache<Guid, string> known = new(options.Value.AccountOwnerCacheSize);

    /// <summary>The owners of those of <paramref name="accountIds"/> that exist, by account id.</summary>
    public async Task<Dictionary<Guid, string>> FindAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<Guid, string>();
        var unknown = new List<Guid>();
        foreach (var id in accountIds.Distinct())
        {
            if (known.TryGet(id, out var owner))
            {
                owners[id] = owner;
            }
            else
            {
                unknown.Add(id);
            }
        }

        if (unknown.Count == 0)
        {
            return owners;
        }

        await using var command = dataSource.CreateCommand("select id, owner from ledger.accounts where id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = unknown.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, owner) = (reader.GetGuid(0), reader.GetString(1));
            owners[id] = owner;
            known.Set(id, owner);
        }

        return owners;
    }
}
