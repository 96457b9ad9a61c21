using Microsoft.Extensions.Options;
using Npgsql;
using Payments.ServiceDefaults.Caching;

namespace Payments.Api.Storage;

/// <summary>
/// What never changes about an account, read from <c>ledger.accounts</c> with the API's read-only role:
/// its owner, ledger and currency. The API checks them before it appends an intent, so a payment the
/// ledger would certainly refuse for them leaves nothing in the log.
/// </summary>
/// <remarks>
/// The table refuses updates and deletes, so an account once read is remembered: a client paying from
/// its own accounts costs no read per call (ADR 0044). An account that was not found is not remembered,
/// as it may be opened a moment later.
/// </remarks>
internal sealed class KnownAccounts(NpgsqlDataSource dataSource, IOptions<PaymentApiOptions> options)
{
    private readonly BoundedCache<Guid, KnownAccount> known = new(options.Value.AccountOwnerCacheSize);

    /// <summary>Those of <paramref name="accountIds"/> that exist, by account id.</summary>
    public async Task<Dictionary<Guid, KnownAccount>> FindAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken)
    {
        var accounts = new Dictionary<Guid, KnownAccount>();
        var unknown = new List<Guid>();
        foreach (var id in accountIds.Distinct())
        {
            if (known.TryGet(id, out var account))
            {
                accounts[id] = account;
            }
            else
            {
                unknown.Add(id);
            }
        }

        if (unknown.Count == 0)
        {
            return accounts;
        }

        await using var command = dataSource.CreateCommand("select id, owner, ledger, currency from ledger.accounts where id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = unknown.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, account) = (reader.GetGuid(0), new KnownAccount(reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            accounts[id] = account;
            known.Set(id, account);
        }

        return accounts;
    }
}

/// <summary>An account's owner, ledger and currency: all fixed when it is opened.</summary>
internal sealed record KnownAccount(string Owner, string Ledger, string Currency);
