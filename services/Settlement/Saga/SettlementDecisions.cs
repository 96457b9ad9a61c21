using Google.Protobuf;
using Npgsql;
using Payments.Contracts.EventsV1;

namespace Payments.Settlement.Saga;

/// <summary>
/// Settlement's record of what it decided per payout, written before the result is published. The ledger
/// acts on the first result it gets, so once a failure has been published the payer gets the money back,
/// and calling the rail again for that payout (for a FundsReserved delivered twice) could pay it as well.
/// A payout with a decision is therefore never sent to the rail again; its recorded result is published
/// again instead, under the same event id, which the log drops as a repeat.
/// </summary>
internal sealed class SettlementDecisions(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// A recorded result and when it was decided. The ledger posts a payout's success only before its
    /// reservation expires, judged by the result's time, so a result published again after a crash
    /// carries the time it was decided, not the time it was published again.
    /// </summary>
    public sealed record Decision(IMessage Result, DateTimeOffset DecidedAt);

    /// <summary>The decision recorded for <paramref name="paymentId"/>, or null while none is.</summary>
    public async Task<Decision?> FindAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select paid, result, decided_at from settlement.decisions where payment_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = paymentId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Decision(Parse(reader.GetBoolean(0), reader.GetFieldValue<byte[]>(1)), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    /// <summary>
    /// Records <paramref name="result"/>, decided at <paramref name="decidedAt"/>, unless a result is recorded
    /// already (a second Settlement replica that decided the same payout first); returns the decision that
    /// stands, which is the one to publish.
    /// </summary>
    public async Task<Decision> RecordAsync(Guid paymentId, string ledger, IMessage result, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        // Whole milliseconds: the time an event carries, so the recorded and the first published time agree.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(decidedAt.ToUnixTimeMilliseconds());
        await using var command = dataSource.CreateCommand("""
            insert into settlement.decisions (payment_id, ledger, paid, result, decided_at, unresolved) values ($1, $2, $3, $4, $5, $6)
            on conflict (payment_id) do nothing
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = paymentId });
        command.Parameters.Add(new NpgsqlParameter { Value = ledger });
        command.Parameters.Add(new NpgsqlParameter { Value = result is SettlementSucceeded });
        command.Parameters.Add(new NpgsqlParameter { Value = result.ToByteArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        command.Parameters.Add(new NpgsqlParameter { Value = IsUnresolved(result) });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1
            ? new Decision(result, at)
            : await FindAsync(paymentId, cancellationToken) ?? throw new InvalidOperationException($"The decision for payout {paymentId} vanished.");
    }

    /// <summary>
    /// Up to <paramref name="limit"/> payouts reported as timed out within <paramref name="window"/>, not
    /// asked about since <paramref name="askedBefore"/>: the ones the rail may still have paid.
    /// </summary>
    public async Task<List<(Guid PaymentId, string Ledger)>> UnresolvedAsync(
        TimeSpan window, DateTimeOffset askedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select payment_id, ledger from settlement.decisions
            where unresolved and decided_at > now() - $1 and (last_inquiry is null or last_inquiry < $2)
            order by decided_at limit $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = window });
        command.Parameters.Add(new NpgsqlParameter { Value = askedBefore });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var unresolved = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            unresolved.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return unresolved;
    }

    /// <summary>Notes that the rail was asked about <paramref name="paymentId"/>, and whether its answer settles the question.</summary>
    public async Task MarkInquiredAsync(Guid paymentId, bool resolved, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "update settlement.decisions set last_inquiry = $2, unresolved = unresolved and not $3 where payment_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = paymentId });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        command.Parameters.Add(new NpgsqlParameter { Value = resolved });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // A timeout is the one failure that says nothing of what the rail did.
    private static bool IsUnresolved(IMessage result) =>
        result is SettlementFailed { Code: Contracts.LedgerV1.ResultCode.SettlementTimedOut };

    private static IMessage Parse(bool paid, byte[] result) =>
        paid ? SettlementSucceeded.Parser.ParseFrom(result) : SettlementFailed.Parser.ParseFrom(result);
}
