using System.Collections.Concurrent;
using Npgsql;
using Payments.Contracts;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Ledger.Writer;
using Payments.Settlement.Saga;
using Payments.Testing;

namespace Payments.Faults.Tests.Bank;

/// <summary>Injects the planned faults one after another, with seeded pauses in between.</summary>
internal sealed class Nemesis(Platform platform, Random random)
{
    private const int DuplicatesPerFault = 40;

    private readonly ConcurrentDictionary<Fault, int> injected = new();

    /// <summary>How many faults of each kind were injected.</summary>
    public IReadOnlyDictionary<Fault, int> Injected => injected;

    /// <summary>
    /// A plan no longer than the list of kinds holds each kind once, in a seeded order; longer plans draw
    /// kinds at random.
    /// </summary>
    public static List<Fault> Plan(FaultProfile profile, Random random)
    {
        var kinds = profile.Kinds;
        var plan = profile.Faults <= kinds.Length
            ? kinds.OrderBy(_ => random.Next()).Take(profile.Faults).ToList()
            : Enumerable.Range(0, profile.Faults).Select(_ => kinds[random.Next(kinds.Length)]).ToList();
        return plan;
    }

    public async Task RunAsync(FaultProfile profile, IReadOnlyList<Fault> plan, CancellationToken cancellationToken)
    {
        foreach (var fault in plan)
        {
            var pause = profile.PauseMin + (profile.PauseMax - profile.PauseMin) * random.NextDouble();
            await Task.Delay(pause, cancellationToken);
            await InjectAsync(fault, cancellationToken);
            injected.AddOrUpdate(fault, 1, (_, n) => n + 1);
        }
    }

    private async Task InjectAsync(Fault fault, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case Fault.KillApi:
                await platform.Api.KillAsync();
                await platform.RestartApiAsync();
                break;
            case Fault.KillLedger:
                await platform.Ledger.KillAsync();
                await platform.RestartLedgerAsync();
                break;
            case Fault.KillSettlement:
                await platform.Settlement!.KillAsync();
                await platform.StartSettlementAsync();
                break;
            case Fault.RestartPostgres:
                await PostgresControl.RestartImmediatelyAsync();
                break;
            case Fault.ReplayFromZero:
                // The running consumers find their offsets moved when they next record progress, are
                // fenced off, and start over from zero.
                await RetryAsync(() => platform.Database.Owner.ExecuteAsync(
                    """update eventlog.consumer_offsets set "offset" = 0 where consumer = any($1)""",
                    (object)new[] { LedgerWriterService.ConsumerName("main"), SettlementRelay.ConsumerName("main"), SettlementWorker.ConsumerName }),
                    cancellationToken);
                break;
            case Fault.DuplicateDeliveries:
                await RetryAsync(DuplicateAsync, cancellationToken);
                break;
        }
    }

    // Earlier intents and settlement results again, under new ids, as a producer's blind re-publish sends them.
    private async Task DuplicateAsync()
    {
        var copies = new List<EventEnvelope>();
        await using (var command = platform.Database.Ledger.CreateCommand($"""
            select id, type, source, subject, partition_key, time, traceparent, data::text from eventlog.events
            where topic = '{EventTopics.Payments}' order by random() limit {DuplicatesPerFault}
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                copies.Add(new EventEnvelope(Guid.NewGuid(), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7)));
            }
        }

        await new PostgresEventPublisher(platform.Database.Ledger).PublishAsync(EventTopics.Payments, copies, CancellationToken.None);
    }

    // The database may be recovering from the previous fault.
    private static async Task RetryAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (NpgsqlException) when (attempt < 50)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
