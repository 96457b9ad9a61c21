using Npgsql;
using Payments.Contracts;
using Payments.EventBus.Postgres;
using Payments.Ledger.Tests.Writer;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>Every intent has exactly one outcome and every outcome has its intent; each way of breaking that is reported.</summary>
public sealed class IntentOutcomeTests
{
    [Fact]
    public async Task An_intent_without_an_outcome_is_reported()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var refused = await ledger.Database.Ledger.ScalarAsync<Guid>("select intent_id from ledger.rejections order by rejected_at, intent_id limit 1");
        await ledger.TamperAsync($"delete from ledger.rejections where intent_id = '{refused}'");

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "intents-have-outcomes");
        var finding = Verdicts.AssertFirstFindingAt(report, "intents-have-outcomes", $"intent {refused} ");
        Assert.Equal("has no outcome in the ledger", finding.Problem);
    }

    [Fact]
    public async Task Under_dapr_where_the_writer_keeps_no_log_offset_an_intent_older_than_the_delivery_grace_is_held_to_its_outcome()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        // Under Dapr, Kafka delivers the intents and the writer records no offset of the log's (ADR 0021).
        await ledger.TamperAsync("delete from eventlog.consumer_offsets where topic = 'payments'");
        var refused = await ledger.Database.Ledger.ScalarAsync<Guid>("select intent_id from ledger.rejections order by rejected_at, intent_id limit 1");
        await ledger.TamperAsync($"delete from ledger.rejections where intent_id = '{refused}'");

        // With no grace every intent before the run counts as delivered; with a day's grace all are still in flight.
        var report = await ledger.AuditAsync(deliveryGrace: TimeSpan.Zero);
        Verdicts.AssertFailedExactly(report, "intents-have-outcomes");
        Verdicts.AssertFirstFindingAt(report, "intents-have-outcomes", $"intent {refused} ");
        Verdicts.AssertPassed(await ledger.AuditAsync(deliveryGrace: TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task A_clock_tick_without_its_record_is_reported()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var tick = await ledger.Database.Ledger.ScalarAsync<Guid>("select event_id from ledger.clock_ticks order by now limit 1");
        await ledger.TamperAsync($"delete from ledger.clock_ticks where event_id = '{tick}'");

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "intents-have-outcomes");
        Verdicts.AssertFirstFindingAt(report, "intents-have-outcomes", $"intent {tick} ");
    }

    [Fact]
    public async Task An_outcome_without_an_intent_is_reported()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var invented = Guid.NewGuid();
        await ForgeRejectionAsync(ledger, invented, causingEvent: Guid.NewGuid());

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "outcomes-have-intents");
        var finding = Verdicts.AssertFirstFindingAt(report, "outcomes-have-intents", $"rejection {invented}");
        Assert.Contains("not an intent of this ledger in the log", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transfer_whose_event_was_removed_from_the_log_is_reported()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var (transfer, sequence) = (await ledger.Database.Ledger.ScalarAsync<Guid>("select id from ledger.transfers where seq = 7"), 7);
        await ledger.TamperAsync("delete from eventlog.events e using ledger.transfers t where t.seq = 7 and e.id = t.event_id");

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "outcomes-have-intents");
        Verdicts.AssertFirstFindingAt(report, "outcomes-have-intents", $"seq {sequence} (transfer {transfer})");
    }

    [Fact]
    public async Task An_intent_with_two_outcomes_is_reported()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var (payment, eventId) = await PostedPaymentAsync(ledger);
        await ForgeRejectionAsync(ledger, payment, eventId);

        var report = await ledger.AuditAsync();

        var finding = Verdicts.AssertFirstFindingAt(report, "intents-have-outcomes", $"intent {payment} ");
        Assert.Equal("has 2 outcomes: rejection, transfer", finding.Problem);
    }

    [Fact]
    public async Task A_second_outcome_forged_under_a_republished_copy_of_the_intent_is_reported()
    {
        // The forged row names an event that does carry its id, so it traces; only counting the intent's outcomes shows it.
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var (payment, copy) = await RepublishedPaymentAsync(ledger);
        await ForgeRejectionAsync(ledger, payment, copy);

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "intents-have-outcomes");
        var finding = Verdicts.AssertFirstFindingAt(report, "intents-have-outcomes", $"intent {payment} ");
        Assert.Equal("has 2 outcomes: rejection, transfer", finding.Problem);
    }

    [Fact]
    public async Task A_transfer_id_repeated_once_its_unique_index_is_gone_is_counted()
    {
        // The audit leans on the tables' unique indexes to skip recounting transfer ids; without one it must
        // count every row, or this forged copy of a payment, under an event that carries its id, would pass.
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var (payment, copy) = await RepublishedPaymentAsync(ledger);
        var (from, to) = await AccountsOfAsync(ledger, payment);
        await ledger.TamperAsync("""
            alter table ledger.transfers drop constraint transfers_pkey cascade;
            alter table ledger.entries drop constraint entries_transfer_id_direction_key;
            """);
        await Attacker.InsertWellFormedTransferAsync(ledger.Database, from, to, 1, id: payment, eventId: copy);

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "intents-have-outcomes");
        var finding = Verdicts.AssertFirstFindingAt(report, "intents-have-outcomes", $"intent {payment} ");
        Assert.Equal("has 2 outcomes: transfer, transfer", finding.Problem);
    }

    [Fact]
    public async Task An_intent_id_spelled_in_capitals_is_matched_as_the_writer_reads_it()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var from = await ledger.Database.Ledger.ScalarAsync<Guid>("select id from ledger.accounts where owner = 'treasury'");
        var to = await ledger.Database.Ledger.ScalarAsync<Guid>("select id from ledger.accounts where owner = 'w1'");
        var payment = Intents.Pay(from, to, 10);
        var shouted = payment.Event with { Data = payment.Event.Data.Replace(payment.Id.ToString(), payment.Id.ToString().ToUpperInvariant(), StringComparison.Ordinal) };
        await using (LedgerWriterHarness.Start(ledger.Database))
        {
            await LedgerWriterHarness.PublishAndWaitAsync(ledger.Database, shouted);
        }

        var report = await ledger.AuditAsync();

        Verdicts.AssertPassed(report);
        Assert.Equal(1L, await ledger.Database.Ledger.ScalarAsync<long>($"select count(*) from ledger.transfers where id = '{payment.Id}'"));
    }

    [Fact]
    public async Task Intents_the_writer_has_not_reached_are_in_flight_not_missing()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var from = await ledger.Database.Ledger.ScalarAsync<Guid>("select id from ledger.accounts where owner = 'treasury'");
        var to = await ledger.Database.Ledger.ScalarAsync<Guid>("select id from ledger.accounts where owner = 'w1'");
        await new PostgresEventPublisher(ledger.Database.Ledger).PublishAsync(EventTopics.Payments, [Intents.Pay(from, to, 10).Event], CancellationToken.None);

        var report = await ledger.AuditAsync();

        Verdicts.AssertPassed(report);
        Assert.Contains("1 later ones are still in flight", report.Check("intents-have-outcomes").Note, StringComparison.Ordinal);
    }

    // A rejection of a payment intent, inserted behind the writer's back.
    private static Task ForgeRejectionAsync(AuditedLedger ledger, Guid intentId, Guid causingEvent) => ledger.TamperAsync($"""
        insert into ledger.rejections (intent_id, event_id, intent_type, ledger, code, principal, intent, rejected_at)
        values ('{intentId}', '{causingEvent}', 'events.v1.PaymentRequested', 'main', 'EXCEEDS_CREDITS', 'mallory', '""', now());
        """);

    // A posted payment whose intent was published twice, and the event id of the copy the writer found already done.
    private static async Task<(Guid Payment, Guid CopyEventId)> RepublishedPaymentAsync(AuditedLedger ledger)
    {
        await using var command = ledger.Database.Ledger.CreateCommand("""
            select t.id, e.id from ledger.transfers t
            join eventlog.events e on e.topic = 'payments' and e.data ->> 'paymentId' = t.id::text and e.id <> t.event_id
            where t.kind = 'POSTED' order by t.seq limit 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the mixed workload republishes some posted payments");
        return (reader.GetGuid(0), reader.GetGuid(1));
    }

    private static async Task<(Guid From, Guid To)> AccountsOfAsync(AuditedLedger ledger, Guid transfer)
    {
        await using var command = ledger.Database.Ledger.CreateCommand("select debit_account_id, credit_account_id from ledger.transfers where id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = transfer });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetGuid(0), reader.GetGuid(1));
    }

    private static async Task<(Guid Payment, Guid EventId)> PostedPaymentAsync(AuditedLedger ledger)
    {
        await using var command = ledger.Database.Ledger.CreateCommand("select id, event_id from ledger.transfers where kind = 'POSTED' order by seq limit 1");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetGuid(0), reader.GetGuid(1));
    }
}
