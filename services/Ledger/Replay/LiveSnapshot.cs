using System.Data;
using Npgsql;
using Payments.Contracts;

namespace Payments.Ledger.Replay;

/// <summary>
/// The live ledger held still at one point of its writer's progress, while the writer goes on. The writer
/// commits its rows with its offset in the intents topic (under either transport), so a read-only
/// repeatable-read transaction sees exactly the ledger that the intents up to <see cref="ConsumedOffset"/>
/// made: the point a rebuild must reach to be compared row for row.
/// </summary>
internal sealed class LiveSnapshot : IAsyncDisposable
{
    private readonly NpgsqlTransaction transaction;

    private LiveSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, long consumedOffset)
    {
        Connection = connection;
        this.transaction = transaction;
        ConsumedOffset = consumedOffset;
    }

    /// <summary>The connection whose transaction holds the snapshot; commands on it read the snapshot.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The last intent the writer had consumed when the snapshot was taken; 0 when none.</summary>
    public long ConsumedOffset { get; }

    /// <summary>Takes the snapshot of the live database behind <paramref name="source"/> for <paramref name="consumer"/>.</summary>
    public static async Task<LiveSnapshot> TakeAsync(NpgsqlDataSource source, string consumer, CancellationToken cancellationToken)
    {
        var connection = await source.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            // Read only, so holding it through a long rebuild blocks no writer; the snapshot starts at the query.
            await using (var readOnly = new NpgsqlCommand("set transaction read only", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = new NpgsqlCommand("""
                select coalesce(max("offset"), 0) from eventlog.consumer_offsets where consumer = $1 and topic = $2
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = consumer });
            command.Parameters.Add(new NpgsqlParameter { Value = EventTopics.Payments });
            var offset = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            return new LiveSnapshot(connection, transaction, offset);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
