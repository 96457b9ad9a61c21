using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus.Postgres;
using Payments.Settlement.Rails;
using Payments.Settlement.Saga;
using Payments.Testing;

namespace Payments.Settlement.Tests;

/// <summary>
/// A payout reported as timed out is one the rail may still pay. Settlement asks again, and publishes a
/// payment it learns of, so the log holds it for the audit to find.
/// </summary>
public sealed class RailInquiriesTests : IAsyncLifetime
{
    private static readonly SettlementOptions Options = new() { InquiryIntervalMs = 60_000, AttemptTimeoutMs = 1_000 };

    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_timed_out_payout_the_rail_paid_after_all_is_published_as_paid_once()
    {
        var rail = ScriptedRail.Silent();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var decisions = new SettlementDecisions(database.Settlement);
        var payout = await TimedOutAsync(decisions);
        var declined = await TimedOutAsync(decisions);
        var inquiries = Inquiries(rail, decisions, clock);

        // The rail paid the one late, and declined the other.
        rail.Books[payout] = RailAnswer.PaidAs("R-late");
        rail.Books[declined] = RailAnswer.Declined("no such account");
        Assert.Equal(2, await inquiries.InquireOnceAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await inquiries.InquireOnceAsync(CancellationToken.None));

        Assert.Equal(["events.v1.SettlementSucceeded"], await ResultTypesAsync(payout));
        Assert.Empty(await ResultTypesAsync(declined));
    }

    [Fact]
    public async Task A_rail_that_cannot_tell_is_asked_again_after_the_interval_and_not_before()
    {
        var unavailable = new ThrowingRail();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var decisions = new SettlementDecisions(database.Settlement);
        await TimedOutAsync(decisions);
        var inquiries = Inquiries(unavailable, decisions, clock);

        Assert.Equal(1, await inquiries.InquireOnceAsync(CancellationToken.None));
        Assert.Equal(0, await inquiries.InquireOnceAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, await inquiries.InquireOnceAsync(CancellationToken.None));
        Assert.Equal(2, unavailable.Inquiries);
    }

    [Fact]
    public async Task A_failure_that_is_not_a_timeout_is_not_asked_about()
    {
        var decisions = new SettlementDecisions(database.Settlement);
        await decisions.RecordAsync(Guid.NewGuid(), "main", SettlementResults.Failed(Guid.NewGuid().ToString(), "main", "scripted",
            ResultCode.SettlementDeclined, "declined"), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(0, await Inquiries(ScriptedRail.Silent(), decisions, new FakeTimeProvider(DateTimeOffset.UtcNow)).InquireOnceAsync(CancellationToken.None));
    }

    private RailInquiries Inquiries(IPaymentRail rail, SettlementDecisions decisions, TimeProvider clock) =>
        new(rail, decisions, new PostgresEventPublisher(database.Settlement), Microsoft.Extensions.Options.Options.Create(Options), clock,
            NullLogger<RailInquiries>.Instance);

    private static async Task<Guid> TimedOutAsync(SettlementDecisions decisions)
    {
        var payout = Guid.NewGuid();
        await decisions.RecordAsync(payout, "main", SettlementResults.Failed(payout.ToString(), "main", "scripted",
            ResultCode.SettlementTimedOut, "no answer"), DateTimeOffset.UtcNow, CancellationToken.None);
        return payout;
    }

    private async Task<string[]> ResultTypesAsync(Guid payout) => await database.Owner.ScalarAsync<string[]>(
        "select coalesce(array_agg(type order by seq), '{}') from eventlog.events where topic = $1 and subject = $2",
        EventTopics.Settlement, payout.ToString());

    private sealed class ThrowingRail : IPaymentRail
    {
        public int Inquiries { get; private set; }

        public string Name => "throwing";

        public System.Threading.Channels.ChannelReader<RailCallback> Callbacks { get; } =
            System.Threading.Channels.Channel.CreateUnbounded<RailCallback>().Reader;

        public Task<RailAnswer> PayAsync(RailPayout payout, CancellationToken cancellationToken) => throw new RailUnavailableException("down");

        public Task<RailAnswer?> InquireAsync(Guid idempotencyKey, CancellationToken cancellationToken)
        {
            Inquiries++;
            throw new RailUnavailableException("down");
        }
    }
}
