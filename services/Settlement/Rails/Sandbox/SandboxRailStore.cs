using Npgsql;

namespace Payments.Settlement.Rails.Sandbox;

/// <summary>The sandbox rail's persistent books (schema <c>sandbox_rail</c>).</summary>
internal sealed class SandboxRailStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records a call for <paramref name="key"/>; returns how many calls that key has had, this one included.</summary>
    public async Task<long> RecordCallAsync(Guid key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            with recorded as (insert into sandbox_rail.calls (idempotency_key) values ($1) returning 1)
            select count(*) + 1 from sandbox_rail.calls where idempotency_key = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The answer already given for <paramref name="key"/>, if any.</summary>
    public async Task<RailAnswer?> FindAsync(Guid key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select paid, reference, detail from sandbox_rail.payouts where idempotency_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new RailAnswer(reader.GetBoolean(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>Stores <paramref name="answer"/> for the payout unless one is stored already; returns the one that stands.</summary>
    public async Task<RailAnswer> SaveAsync(RailPayout payout, RailAnswer answer, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            insert into sandbox_rail.payouts (idempotency_key, payment_reference, amount_minor, currency, beneficiary, paid, reference, detail)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict (idempotency_key) do nothing
            """);
        foreach (var value in new object[]
                 {
                     payout.IdempotencyKey, payout.Reference, payout.AmountMinor, payout.Currency, payout.Beneficiary,
                     answer.Paid, answer.Reference, answer.Detail,
                 })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        return (await FindAsync(payout.IdempotencyKey, cancellationToken))!;
    }
}
