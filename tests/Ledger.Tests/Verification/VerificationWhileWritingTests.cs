using Payments.EventBus.Postgres;
using Payments.Ledger.Tests.Writer;
using Payments.Ledger.Verification;
using Payments.Testing;

namespace Payments.Ledger.Tests.Verification;

/// <summary>The chain is verified on a running ledger: transfers committed while it reads are no break.</summary>
public sealed class VerificationWhileWritingTests
{
    private const int Verifications = 40;

    [Fact]
    public async Task Transfers_committed_during_a_verification_do_not_read_as_unreachable()
    {
        await using var database = await TestDatabase.CreateAsync();
        var from = Intents.OpenAccount();
        var to = Intents.OpenAccount();
        await using var writer = LedgerWriterHarness.Start(database);
        await LedgerWriterHarness.PublishAndWaitAsync(database, from.Event, to.Event);

        // One payment per append, so the writer commits small batches all the time the verifier reads.
        using var stop = new CancellationTokenSource();
        var publisher = new PostgresEventPublisher(database.Ledger);
        var payments = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await publisher.PublishAsync(Intents.Topic, [Intents.Pay(from.Id, to.Id, 1).Event], CancellationToken.None);
            }
        });

        var results = new List<ChainVerification>();
        try
        {
            while (results.Count < Verifications)
            {
                results.Add(await ChainVerifier.VerifyAsync(database.Ledger, Intents.Ledger, CancellationToken.None));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await payments;
        }

        Assert.All(results, r => Assert.True(r.IsIntact, $"at {r.FirstBadSequence}: {r.Problem}"));
        Assert.True(results[^1].HeadSequence > results[0].HeadSequence, "the writer committed while the chain was read");
        await LedgerWriterHarness.WaitCaughtUpAsync(database);
        Assert.True((await ChainVerifier.VerifyAsync(database.Ledger, Intents.Ledger, CancellationToken.None)).IsIntact);
    }
}
