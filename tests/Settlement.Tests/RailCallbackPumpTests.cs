using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Contracts;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Settlement.Rails;
using Payments.Settlement.Saga;
using Payments.Testing;

namespace Payments.Settlement.Tests;

public sealed class RailCallbackPumpTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_callback_whose_publish_fails_is_published_again_and_the_pump_keeps_running()
    {
        var rail = new ScriptedRail((_, _) => Task.FromResult(RailAnswer.PaidAs("unused")));
        var publisher = new FailingFirst(new PostgresEventPublisher(database.Settlement));
        using var pump = new RailCallbackPump(rail, publisher, NullLogger<RailCallbackPump>.Instance, TimeProvider.System);
        await pump.StartAsync(CancellationToken.None);
        try
        {
            var first = Callback();
            var second = Callback();
            rail.SendCallback(first);
            rail.SendCallback(second);

            await Eventually.WaitUntilAsync(async () => await LoggedAsync(first) && await LoggedAsync(second),
                TimeSpan.FromSeconds(10), "both callbacks' results in the settlement topic");
            Assert.Equal(1, publisher.Failures);
            Assert.False(pump.ExecuteTask!.IsCompleted);
        }
        finally
        {
            await pump.StopAsync(CancellationToken.None);
        }
    }

    private static RailCallback Callback()
    {
        var id = Guid.NewGuid();
        return new RailCallback(
            new RailPayout(id, id.ToString(), 100, "EUR", "DE89", new Dictionary<string, string> { [SettlementResults.LedgerKey] = "main" }),
            RailAnswer.PaidAs("R-" + id));
    }

    private async Task<bool> LoggedAsync(RailCallback callback) => await database.Owner.ScalarAsync<long>(
        "select count(*) from eventlog.events where topic = 'settlement' and subject = $1", callback.Payout.Reference) == 1;

    // The real event log behind a first publish that fails as a lost connection does.
    private sealed class FailingFirst(IEventPublisher inner) : IEventPublisher
    {
        public int Failures { get; private set; }

        public Task<IReadOnlySet<Guid>?> PublishAsync(string topic, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
            if (Failures == 0)
            {
                Failures++;
                throw new NpgsqlException("The connection was lost (injected).");
            }

            return inner.PublishAsync(topic, events, cancellationToken);
        }
    }
}
