using System.Data.Common;
using Npgsql;

namespace Payments.EventBus.Postgres;

/// <summary>
/// Moves a consumer's offset from <see cref="FromOffset"/> to <see cref="ToOffset"/>, but only if it is
/// still at <see cref="FromOffset"/>. The conditional update is the fence: of two instances that read the
/// same batch, the second blocks on the first's row lock and then finds the offset moved.
/// </summary>
internal sealed class PostgresDeliveryProgress(string consumer, string topic, long fromOffset, long toOffset)
    : IDeliveryProgress
{
    public long FromOffset { get; } = fromOffset;

    public long ToOffset { get; } = toOffset;

    /// <summary>True once the offset has been written in some transaction.</summary>
    public bool Saved { get; private set; }

    public async Task SaveAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)(transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already completed."));
        await using var command = new NpgsqlCommand("""
            update eventlog.consumer_offsets
            set "offset" = $4, updated_at = now()
            where consumer = $1 and topic = $2 and "offset" = $3
            """, connection, (NpgsqlTransaction)transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = topic });
        command.Parameters.Add(new NpgsqlParameter { Value = FromOffset });
        command.Parameters.Add(new NpgsqlParameter { Value = ToOffset });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new ConsumerFencedException(consumer, topic, FromOffset);
        }

        Saved = true;
    }
}
