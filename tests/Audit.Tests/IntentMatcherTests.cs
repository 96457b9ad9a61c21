using Payments.Audit.IntentTracing;

namespace Payments.Audit.Tests;

/// <summary>
/// The client's half of the intent checks on pairs as the server sends them: what matched at a glance never
/// arrives, and what arrives is decided exactly as if every intent's outcomes had been counted.
/// </summary>
public sealed class IntentMatcherTests
{
    private const string Payment = "events.v1.PaymentRequested";
    private const string Tick = "events.v1.LedgerClockTicked";
    private const long Consumed = 100;

    [Fact]
    public void A_republished_copy_is_fine_when_its_intent_has_one_outcome_elsewhere()
    {
        var payment = Guid.NewGuid();
        var original = Intent(1, payment);
        var copy = Intent(2, payment);
        IntentOutcomePair[] received = [new(copy, null)];
        IntentOutcomePair[] outcomesOfSuspects = [new(original, Outcome("transfer", payment, original.EventId))];

        var (untraced, miscounted) = Decide(received, [], outcomesOfSuspects);

        Assert.Empty(untraced);
        Assert.Empty(miscounted);
    }

    [Fact]
    public void A_clock_ticks_releases_trace_to_it_and_a_tick_without_its_record_has_no_outcome()
    {
        var tickId = Guid.NewGuid();
        var tick = new LoggedIntent(5, tickId, Tick, tickId, ReleasesExpiredHolds: true);
        var release = Outcome("transfer", Guid.NewGuid(), tick.EventId) with { ByClock = true, Seq = 9 };
        IntentOutcomePair[] received = [new(tick, release)];
        IntentOutcomePair[] outcomesOfSuspects = [new(tick, release)];

        var (untraced, miscounted) = Decide(received, [], outcomesOfSuspects);

        Assert.Empty(untraced);
        var missing = Assert.Single(miscounted);
        Assert.Equal(tick.EventId, missing.First.IntentId);
        Assert.Empty(missing.OutcomeKinds);
    }

    [Fact]
    public void An_id_shared_by_two_matched_outcomes_is_counted_even_though_neither_pair_arrived()
    {
        var payment = Guid.NewGuid();
        var intent = Intent(3, payment);
        IntentOutcomePair[] outcomesOfSuspects =
            [new(intent, Outcome("transfer", payment, intent.EventId)), new(intent, Outcome("rejection", payment, intent.EventId))];

        var (untraced, miscounted) = Decide([], [payment], outcomesOfSuspects);

        Assert.Empty(untraced);
        Assert.Equal(["rejection", "transfer"], Assert.Single(miscounted).OutcomeKinds);
    }

    [Fact]
    public void An_outcome_whose_event_carries_another_id_is_untraced_and_both_ids_are_counted()
    {
        var (payment, other) = (Guid.NewGuid(), Guid.NewGuid());
        var intent = Intent(4, other);
        var forged = Outcome("rejection", payment, intent.EventId);
        IntentOutcomePair[] received = [new(intent, forged)];
        IntentOutcomePair[] outcomesOfSuspects = [new(intent, forged)];

        var (untraced, miscounted) = Decide(received, [], outcomesOfSuspects);

        Assert.Equal(forged, Assert.Single(untraced).Outcome);
        Assert.Equal(other, Assert.Single(miscounted).First.IntentId);
    }

    [Fact]
    public void Intents_after_the_writers_offset_need_no_outcome_yet()
    {
        IntentOutcomePair[] received = [new(Intent(Consumed + 1, Guid.NewGuid()), null)];

        var (untraced, miscounted) = Decide(received, [], []);

        Assert.Empty(untraced);
        Assert.Empty(miscounted);
    }

    private static (List<IntentOutcomePair> Untraced, List<MiscountedIntent> Miscounted) Decide(
        IntentOutcomePair[] received, Guid[] sharedIds, IntentOutcomePair[] outcomesOfSuspects)
    {
        var matcher = new IntentMatcher(Consumed);
        var suspects = matcher.Suspects(received, sharedIds);
        Assert.All(outcomesOfSuspects, pair => Assert.Contains(pair.Outcome!.Id, suspects));
        return ([.. IntentMatcher.Untraced(received)], [.. matcher.Miscounted(suspects, received, outcomesOfSuspects)]);
    }

    private static LoggedIntent Intent(long seq, Guid intentId) => new(seq, Guid.NewGuid(), Payment, intentId, ReleasesExpiredHolds: false);

    private static RecordedOutcome Outcome(string kind, Guid id, Guid eventId) => new(kind, id, eventId, null, ByClock: false);
}
