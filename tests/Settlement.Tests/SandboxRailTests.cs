using Microsoft.Extensions.Options;
using Payments.Settlement.Rails;
using Payments.Settlement.Rails.Sandbox;
using Payments.Testing;

namespace Payments.Settlement.Tests;

/// <summary>The sandbox rail on its real books in PostgreSQL.</summary>
public sealed class SandboxRailTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly SandboxRailOptions Rules = new()
    {
        LatencyMs = 0,
        Rules =
        [
            new SandboxRule { BeneficiaryPrefix = "decline", Behaviour = SandboxBehaviour.Decline },
            new SandboxRule { AmountMinor = 666, Behaviour = SandboxBehaviour.Decline },
            new SandboxRule { BeneficiaryPrefix = "flaky", Behaviour = SandboxBehaviour.Flaky, FailuresBeforeSuccess = 2 },
            new SandboxRule { BeneficiaryPrefix = "timeout", Behaviour = SandboxBehaviour.Timeout },
            new SandboxRule { BeneficiaryPrefix = "duplicate", Behaviour = SandboxBehaviour.DuplicateCallback },
        ],
    };

    private SandboxRail Rail() => new(new SandboxRailStore(database.Settlement), Options.Create(Rules));

    private static RailPayout Payout(string beneficiary, long amount = 100)
    {
        var id = Guid.NewGuid();
        return new RailPayout(id, id.ToString(), amount, "EUR", beneficiary, new Dictionary<string, string> { ["ledger"] = "main" });
    }

    private Task<long> Charges(RailPayout payout) =>
        database.Settlement.ScalarAsync<long>("select count(*) from sandbox_rail.payouts where payment_reference = $1 and paid", payout.Reference);

    [Fact]
    public async Task A_repeated_idempotency_key_gets_the_first_answer_and_is_charged_once_even_by_a_new_rail_instance()
    {
        var payout = Payout("DE89 3704");

        var first = await Rail().PayAsync(payout, CancellationToken.None);
        var again = await Rail().PayAsync(payout, CancellationToken.None);

        Assert.True(first.Paid);
        Assert.Equal(first, again);
        Assert.Equal(1, await Charges(payout));
        Assert.Equal(2, await database.Settlement.ScalarAsync<long>("select count(*) from sandbox_rail.calls where idempotency_key = $1", payout.IdempotencyKey));
    }

    [Fact]
    public async Task Rules_match_by_beneficiary_prefix_or_by_amount()
    {
        var rail = Rail();

        Assert.False((await rail.PayAsync(Payout("Decline-me"), CancellationToken.None)).Paid);
        Assert.False((await rail.PayAsync(Payout("anyone", amount: 666), CancellationToken.None)).Paid);
        Assert.True((await rail.PayAsync(Payout("anyone", amount: 667), CancellationToken.None)).Paid);
    }

    [Fact]
    public async Task A_flaky_rail_fails_its_first_calls_and_then_pays_once()
    {
        var rail = Rail();
        var payout = Payout("flaky");

        await Assert.ThrowsAsync<RailUnavailableException>(() => rail.PayAsync(payout, CancellationToken.None));
        await Assert.ThrowsAsync<RailUnavailableException>(() => rail.PayAsync(payout, CancellationToken.None));
        Assert.True((await rail.PayAsync(payout, CancellationToken.None)).Paid);
        Assert.Equal(1, await Charges(payout));
    }

    [Fact]
    public async Task A_lost_request_never_answers_and_charges_nothing()
    {
        var payout = Payout("timeout");
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Rail().PayAsync(payout, patience.Token));

        Assert.Equal(0, await database.Settlement.ScalarAsync<long>("select count(*) from sandbox_rail.payouts where payment_reference = $1", payout.Reference));
    }

    [Fact]
    public async Task A_duplicate_callback_repeats_the_answer_with_the_payout()
    {
        var rail = Rail();
        var payout = Payout("duplicate");

        var answer = await rail.PayAsync(payout, CancellationToken.None);

        Assert.True(rail.Callbacks.TryRead(out var callback));
        Assert.Equal(payout, callback.Payout);
        Assert.Equal(answer, callback.Answer);
    }
}
