using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Settlement.Rails;
using Payments.Settlement.Saga;
using Payments.Testing;

namespace Payments.Settlement.Tests;

/// <summary>The worker over a real event log: what it publishes for a batch of reserved payouts, and when.</summary>
public sealed class SettlementWorkerTests : IAsyncLifetime
{
    private static readonly Guid SettlementAccount = Guid.NewGuid();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_paid_payout_is_published_while_a_slow_one_of_its_batch_is_still_at_the_rail()
    {
        var fast = Reserved();
        var slow = Reserved();

        // The slow payout is paid only once the fast one's result is in the log. Held back until the end
        // of the batch, that result would arrive after the slow call gave up, and the slow payout would fail.
        ScriptedRail rail = null!;
        rail = new ScriptedRail(async (call, _) =>
        {
            if (rail.Calls[call - 1].Reference == fast.PaymentId)
            {
                return RailAnswer.PaidAs("R-fast");
            }

            try
            {
                await Eventually.WaitUntilAsync(() => ResultIsLoggedAsync(fast.PaymentId), Patience, "the fast payout's result");
                return RailAnswer.PaidAs("R-slow");
            }
            catch (TimeoutException exception)
            {
                throw new RailUnavailableException(exception.Message);
            }
        });
        var options = new SettlementOptions
        {
            Accounts = new Dictionary<string, Guid> { ["EUR"] = SettlementAccount },
            AttemptsMax = 1, AttemptTimeoutMs = (int)Patience.TotalMilliseconds * 2, SafetyMarginMs = 0, Parallelism = 2,
        };
        var worker = Worker(rail, options);

        await worker.HandleAsync(new EventBatch(EventTopics.Ledger, [Envelope(fast), Envelope(slow)], new NoProgress()), CancellationToken.None);

        Assert.Equal(["events.v1.SettlementSucceeded", "events.v1.SettlementSucceeded"], await ResultTypesAsync(fast.PaymentId, slow.PaymentId));
    }

    [Fact]
    public async Task A_settlement_bound_to_one_ledger_leaves_another_ledgers_payouts_alone()
    {
        var rail = new ScriptedRail((_, _) => Task.FromResult(RailAnswer.PaidAs("R-1")));
        var options = new SettlementOptions { Accounts = new Dictionary<string, Guid> { ["EUR"] = SettlementAccount }, Ledger = "main" };
        var worker = Worker(rail, options);
        var mine = Reserved();
        var foreign = Reserved(ledger: "eur-book");

        await worker.HandleAsync(new EventBatch(EventTopics.Ledger, [Envelope(foreign), Envelope(mine)], new NoProgress()), CancellationToken.None);

        // Answering the foreign payout (as SETTLEMENT_ACCOUNT_INVALID, its settlement account not being
        // this one's) would have its own ledger release it while its own Settlement pays it.
        Assert.Equal(mine.PaymentId, Assert.Single(rail.Calls).Reference);
        Assert.Equal(1L, await database.Owner.ScalarAsync<long>("select count(*) from eventlog.events where topic = 'settlement'"));
        Assert.Equal("events.v1.SettlementSucceeded", (await ResultTypesAsync(mine.PaymentId))[0]);
    }

    [Fact]
    public async Task A_payout_delivered_again_after_a_reported_failure_is_not_sent_to_the_rail_again()
    {
        // Unreachable for the first delivery's attempts, paying from then on.
        var rail = new ScriptedRail((call, _) => call <= 2
            ? Task.FromException<RailAnswer>(new RailUnavailableException("503"))
            : Task.FromResult(RailAnswer.PaidAs("R-late")));
        var options = new SettlementOptions
        {
            Accounts = new Dictionary<string, Guid> { ["EUR"] = SettlementAccount }, AttemptsMax = 2, BackoffMs = 1, SafetyMarginMs = 0,
        };
        var worker = Worker(rail, options);
        var reserved = Reserved();
        var delivery = new EventBatch(EventTopics.Ledger, [Envelope(reserved)], new NoProgress());

        await worker.HandleAsync(delivery, CancellationToken.None);
        await worker.HandleAsync(delivery, CancellationToken.None);

        // The ledger gave the money back on the published failure: a payment now would be a second one.
        Assert.Equal(2, rail.Calls.Count);
        Assert.Equal(["events.v1.SettlementFailed"], await database.Owner.ScalarAsync<string[]>(
            "select array_agg(type order by seq) from eventlog.events where topic = 'settlement' and subject = $1", reserved.PaymentId));
    }

    [Fact]
    public async Task A_paid_payout_delivered_again_is_answered_from_the_decision_without_a_second_call()
    {
        var rail = new ScriptedRail((_, _) => Task.FromResult(RailAnswer.PaidAs("R-1")));
        var worker = Worker(rail, new SettlementOptions { Accounts = new Dictionary<string, Guid> { ["EUR"] = SettlementAccount } });
        var reserved = Reserved();
        var delivery = new EventBatch(EventTopics.Ledger, [Envelope(reserved)], new NoProgress());

        await worker.HandleAsync(delivery, CancellationToken.None);
        await worker.HandleAsync(delivery, CancellationToken.None);

        Assert.Single(rail.Calls);
        Assert.Equal(["events.v1.SettlementSucceeded"], await database.Owner.ScalarAsync<string[]>(
            "select array_agg(type order by seq) from eventlog.events where topic = 'settlement' and subject = $1", reserved.PaymentId));
    }

    [Fact]
    public async Task A_decision_published_again_after_a_crash_carries_the_time_it_was_decided()
    {
        var rail = new ScriptedRail((_, _) => Task.FromResult(RailAnswer.PaidAs("R-again")));
        var worker = Worker(rail, new SettlementOptions { Accounts = new Dictionary<string, Guid> { ["EUR"] = SettlementAccount } });
        var reserved = Reserved();
        // Recorded, then the process died before publishing; it comes back minutes later.
        var decidedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        await new SettlementDecisions(database.Settlement).RecordAsync(Guid.Parse(reserved.PaymentId), reserved.Ledger,
            new SettlementSucceeded { PaymentId = reserved.PaymentId, Ledger = reserved.Ledger, RailReference = "R-1" }, decidedAt, CancellationToken.None);

        await worker.HandleAsync(new EventBatch(EventTopics.Ledger, [Envelope(reserved)], new NoProgress()), CancellationToken.None);

        // Stamped now, a success decided in time could reach the ledger as one after the reservation's expiry.
        Assert.Empty(rail.Calls);
        var published = await database.Owner.ScalarAsync<DateTime>(
            "select time from eventlog.events where topic = 'settlement' and subject = $1", reserved.PaymentId);
        Assert.Equal(decidedAt.ToUnixTimeMilliseconds(), new DateTimeOffset(published).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_rail_client_that_fails_unexpectedly_for_one_payout_does_not_hold_up_the_others()
    {
        var broken = Reserved();
        var fine = Reserved();
        ScriptedRail rail = null!;
        rail = new ScriptedRail((call, _) => rail.Calls[call - 1].Reference == broken.PaymentId
            ? Task.FromException<RailAnswer>(new InvalidOperationException("an answer the client cannot read"))
            : Task.FromResult(RailAnswer.PaidAs("R-fine")));
        var options = new SettlementOptions
        {
            Accounts = new Dictionary<string, Guid> { ["EUR"] = SettlementAccount }, AttemptsMax = 2, BackoffMs = 1, SafetyMarginMs = 0,
        };

        await Worker(rail, options).HandleAsync(new EventBatch(EventTopics.Ledger, [Envelope(broken), Envelope(fine)], new NoProgress()),
            CancellationToken.None);

        Assert.Equal(["events.v1.SettlementFailed", "events.v1.SettlementSucceeded"], await ResultTypesAsync(broken.PaymentId, fine.PaymentId));
        Assert.Equal(2, rail.Calls.Count(c => c.Reference == broken.PaymentId));
    }

    private SettlementWorker Worker(ScriptedRail rail, SettlementOptions options)
    {
        var settler = new PayoutSettler(rail, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<PayoutSettler>.Instance);
        return new SettlementWorker(database.Settlement, new PostgresEventPublisher(database.Settlement), settler,
            new SettlementDecisions(database.Settlement), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System,
            NullLogger<SettlementWorker>.Instance);
    }

    private static FundsReserved Reserved(string ledger = "main") => new()
    {
        PaymentId = Guid.NewGuid().ToString(), Ledger = ledger, DebitAccountId = Guid.NewGuid().ToString(),
        CreditAccountId = SettlementAccount.ToString(), AmountMinor = 1_500, Currency = "EUR", Beneficiary = "DE89",
        ExpireTimeUnixMs = (DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds(),
    };

    private static EventEnvelope Envelope(FundsReserved reserved) => ProtoEvents.Wrap(reserved,
        IntentIds.Event(Guid.Parse(reserved.PaymentId), "funds-reserved"), "ledger", reserved.PaymentId, reserved.Ledger,
        DateTimeOffset.UtcNow, traceParent: null);

    private async Task<bool> ResultIsLoggedAsync(string paymentId) => await database.Owner.ScalarAsync<long>(
        "select count(*) from eventlog.events where topic = 'settlement' and subject = $1", paymentId) > 0;

    private async Task<List<string>> ResultTypesAsync(params string[] paymentIds)
    {
        var types = new List<string>();
        foreach (var paymentId in paymentIds)
        {
            types.Add(await database.Owner.ScalarAsync<string>(
                "select type from eventlog.events where topic = 'settlement' and subject = $1", paymentId));
        }

        return types;
    }

    // The worker is driven directly here, so there is no position to record.
    private sealed class NoProgress : IDeliveryProgress
    {
        public Task SaveAsync(System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
