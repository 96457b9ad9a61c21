using Npgsql;
using Payments.Ledger.Storage;

namespace Payments.Audit.Scan;

/// <summary>Reads a ledger's accounts once, before the scan: they are few next to the entries.</summary>
internal static class AccountDirectory
{
    public static async Task<Dictionary<Guid, AuditedAccount>> ReadAsync(NpgsqlDataSource dataSource, string ledger, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select id, currency, debits_must_not_exceed_credits, credits_must_not_exceed_debits from ledger.accounts where ledger = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new Dictionary<Guid, AuditedAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            accounts[id] = new AuditedAccount(id, reader.GetString(1), StoredNames.LimitsOf(reader.GetBoolean(2), reader.GetBoolean(3)));
        }

        return accounts;
    }
}
