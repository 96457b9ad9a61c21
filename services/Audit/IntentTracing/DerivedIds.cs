using Npgsql;
using Payments.Contracts;

namespace Payments.Audit.IntentTracing;

/// <summary>
/// Outcome ids the writer derives in code (a name-based UUID of the payload's id), computed here with the
/// writer's own function for the few events whose type needs it, and handed to the intent query.
/// </summary>
internal sealed record DerivedIds(Guid[] EventIds, Guid[] IntentIds)
{
    /// <summary>Reads the events of the derived types in <paramref name="connection"/>'s snapshot and derives their outcome ids.</summary>
    public static async Task<DerivedIds> ReadAsync(NpgsqlConnection connection, string ledger, CancellationToken cancellationToken)
    {
        var types = IntentTypes.All.Where(t => t.DeriveOutcomeId is not null).ToDictionary(t => t.EventType);
        await using var command = new NpgsqlCommand("""
            select e.id, e.type, e.data ->> k.id_field
            from eventlog.events e join unnest($2::text[], $3::text[]) as k(type, id_field) on k.type = e.type
            where e.topic = $4 and e.partition_key = $1
            """, connection);
        foreach (var value in new object[]
                 {
                     ledger, types.Keys.ToArray(), types.Values.Select(t => t.OutcomeIdJsonField!).ToArray(), EventTopics.Payments,
                 })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var eventIds = new List<Guid>();
        var intentIds = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // A payload id that does not parse is left to the query, which falls back to the event id.
            if (!reader.IsDBNull(2) && Guid.TryParseExact(reader.GetString(2), "D", out var payloadId))
            {
                eventIds.Add(reader.GetGuid(0));
                intentIds.Add(types[reader.GetString(1)].DeriveOutcomeId!(payloadId));
            }
        }

        return new DerivedIds([.. eventIds], [.. intentIds]);
    }
}
