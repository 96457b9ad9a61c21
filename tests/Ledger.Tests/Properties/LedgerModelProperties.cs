using CsCheck;
using Google.Protobuf;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;
using Payments.EventBus.Postgres;
using Payments.Ledger.Tests.Writer;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Ledger.Tests.Properties;

/// <summary>
/// Model-based property test: random sequences of opens, transfers, holds, captures, voids, expiries,
/// reversals, status changes, duplicates and conflicting retries go to the real writer on PostgreSQL and
/// to <see cref="LedgerModel"/>. Both must give the same result code for every intent, expire the same
/// holds, and end with the same balances; the money invariants must hold after every step.
/// </summary>
public sealed class LedgerModelProperties(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int AccountCount = 5;

    public abstract record Command;

    public sealed record Open(int Account, string Currency, int Limits) : Command;

    public sealed record Pay(int From, int To, long Amount, string Currency) : Command;

    public sealed record Hold(int From, int To, long Amount, int TimeoutSeconds) : Command;

    public sealed record Capture(int Hold, long Amount) : Command;

    public sealed record Void(int Hold) : Command;

    public sealed record Reverse(int Transfer, long Amount) : Command;

    public sealed record Advance(int Seconds) : Command;

    public sealed record Payout(int From, int To, long Amount, int TimeoutSeconds) : Command;

    public sealed record Settle(int Payout, bool Paid) : Command;

    public sealed record SetStatus(int Account, AccountStatus Status) : Command;

    public sealed record Duplicate(int Step) : Command;

    public sealed record ConflictingRetry(int Step, long Amount) : Command;

    private static readonly Gen<long> Amount = Gen.Frequency(
        (1, Gen.OneOf(0L, -5L)), (12, Gen.Long[1, 1500]), (1, Gen.OneOf(long.MaxValue / 2 + 7, long.MaxValue)));

    private static readonly Gen<int> AccountIndex = Gen.Int[0, AccountCount - 1];

    private static readonly Gen<Command> AnyCommand = Gen.Frequency<Command>(
        (2, Gen.Select(AccountIndex, Gen.OneOf("EUR", "USD"), Gen.Int[0, 2], (a, c, l) => (Command)new Open(a, c, l))),
        (10, Gen.Select(AccountIndex, AccountIndex, Amount, Gen.Frequency((9, Gen.Const("EUR")), (1, Gen.Const("USD"))),
            (f, t, a, c) => (Command)new Pay(f, t, a, c))),
        (5, Gen.Select(AccountIndex, AccountIndex, Amount, Gen.Frequency((9, Gen.Int[1, 6]), (1, Gen.OneOf(0, 40 * 24 * 3600))),
            (f, t, a, s) => (Command)new Hold(f, t, a, s))),
        (4, Gen.Select(Gen.Int[0, 20], Gen.Frequency((3, Gen.Const(0L)), (3, Amount)), (h, a) => (Command)new Capture(h, a))),
        (2, Gen.Int[0, 20].Select(h => (Command)new Void(h))),
        (3, Gen.Select(AccountIndex, AccountIndex, Amount, Gen.Int[1, 6], (f, t, a, s) => (Command)new Payout(f, t, a, s))),
        // Results mostly for the latest reservations, which are still open, so that posting paths run often.
        (4, Gen.Select(Gen.Frequency((6, Gen.Int[0, 2]), (1, Gen.Const(50))), Gen.Bool, (p, paid) => (Command)new Settle(p, paid))),
        (3, Gen.Select(Gen.Int[0, 30], Gen.Frequency((2, Gen.Const(0L)), (3, Amount)), (t, a) => (Command)new Reverse(t, a))),
        // Small steps and timeouts of whole seconds make ticks land exactly on expiry times, the boundary case.
        (4, Gen.Int[1, 6].Select(s => (Command)new Advance(s))),
        (1, Gen.Select(AccountIndex, Gen.Frequency((4, Gen.Const(AccountStatus.Frozen)), (4, Gen.Const(AccountStatus.Active)), (1, Gen.Const(AccountStatus.Closed))),
            (a, s) => (Command)new SetStatus(a, s))),
        (2, Gen.Int[0, 60].Select(s => (Command)new Duplicate(s))),
        (1, Gen.Select(Gen.Int[0, 60], Gen.Long[1, 100], (s, a) => (Command)new ConflictingRetry(s, a))));

    // Every sequence starts by funding: an unlimited EUR account and a few more to move money between.
    private static readonly Gen<Command[]> Sequences = AnyCommand.Array[5, 35].Select(commands =>
        new Command[] { new Open(0, "EUR", 0), new Open(1, "EUR", 1), new Open(2, "EUR", 0), new Pay(0, 1, 2_000, "EUR") }
            .Concat(commands).ToArray());

    [Fact]
    public async Task The_ledger_agrees_with_the_reference_model_and_keeps_every_invariant()
    {
        await using var writer = LedgerWriterHarness.Start(database);
        await Sequences.SampleAsync(RunAsync, iter: 30, threads: 1);
        await LedgerInvariants.AssertHoldAsync(database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(database.Ledger);
    }

    private async Task RunAsync(Command[] commands)
    {
        var run = new Run(database);
        foreach (var command in commands)
        {
            await run.StepAsync(command);
            await LedgerInvariants.AssertHoldAsync(database.Ledger, verifyChain: false);
        }

        await run.AssertBalancesAgreeAsync();
    }

    /// <summary>One sequence: its own accounts, its own clock, the model beside the real ledger.</summary>
    private sealed class Run(TestDatabase database)
    {
        private readonly Guid[] accounts = Enumerable.Range(0, AccountCount).Select(_ => Guid.NewGuid()).ToArray();
        private readonly LedgerModel model = new();
        private readonly List<Guid> holds = [];
        private readonly List<Guid> transfers = [];
        private readonly List<(Guid Id, IMessage Intent, EventEnvelope Event)> published = [];
        private readonly PostgresEventPublisher publisher = new(database.Ledger);
        private DateTimeOffset clock = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        public async Task StepAsync(Command command)
        {
            var id = Guid.NewGuid();
            switch (command)
            {
                case Open open when model.Accounts.ContainsKey(accounts[open.Account]):
                    break; // Same account id again: a retry of the earlier opening.
                case Open open:
                    await ExpectAsync(accounts[open.Account], new AccountOpeningRequested
                    {
                        AccountId = accounts[open.Account].ToString(), Ledger = Intents.Ledger, Currency = open.Currency, Owner = "o", Principal = "dev",
                        Flags = new AccountFlags { DebitsMustNotExceedCredits = open.Limits == 1, CreditsMustNotExceedDebits = open.Limits == 2 },
                    }, model.Open(accounts[open.Account], open.Currency, open.Limits == 1, open.Limits == 2));
                    break;
                case Pay pay:
                    transfers.Add(id);
                    await ExpectAsync(id, Payment(id, pay.From, pay.To, pay.Amount, pay.Currency),
                        model.Pay(id, accounts[pay.From], accounts[pay.To], pay.Amount, pay.Currency));
                    break;
                case Hold hold:
                    holds.Add(id);
                    transfers.Add(id);
                    var held = Payment(id, hold.From, hold.To, hold.Amount, "EUR");
                    held.Kind = PaymentKind.Hold;
                    held.HoldTimeoutMs = hold.TimeoutSeconds * 1000L;
                    await ExpectAsync(id, held, model.Hold(id, accounts[hold.From], accounts[hold.To], hold.Amount, "EUR",
                        TimeSpan.FromSeconds(hold.TimeoutSeconds), clock));
                    break;
                case Payout payout:
                    holds.Add(id);
                    transfers.Add(id);
                    var reserved = Payment(id, payout.From, payout.To, payout.Amount, "EUR");
                    reserved.Kind = PaymentKind.Payout;
                    reserved.HoldTimeoutMs = payout.TimeoutSeconds * 1000L;
                    reserved.Beneficiary = "DE89370400440532013000";
                    await ExpectAsync(id, reserved, model.Payout(id, accounts[payout.From], accounts[payout.To], payout.Amount,
                        TimeSpan.FromSeconds(payout.TimeoutSeconds), clock));
                    break;
                case Settle settle:
                    // Holds too: a result for a plain hold must be refused, never post it.
                    var settled = Pick(holds, holds.Count - 1 - settle.Payout);
                    IMessage result = settle.Paid
                        ? new SettlementSucceeded { PaymentId = settled.ToString(), Ledger = Intents.Ledger, Rail = "sandbox" }
                        : new SettlementFailed { PaymentId = settled.ToString(), Ledger = Intents.Ledger, Rail = "sandbox", Code = ResultCode.SettlementDeclined };
                    await ExpectAsync(SettlementIntent.IdFor(settled), result, model.Settle(settled, settle.Paid, clock));
                    break;
                case Capture capture:
                    transfers.Add(id);
                    var captured = Pick(holds, capture.Hold);
                    await ExpectAsync(id, new HoldCaptureRequested
                    {
                        PaymentId = id.ToString(), HoldPaymentId = captured.ToString(), AmountMinor = capture.Amount, Ledger = Intents.Ledger, Principal = "dev",
                    }, model.Capture(id, captured, capture.Amount, clock));
                    break;
                case Void cancel:
                    var voided = Pick(holds, cancel.Hold);
                    await ExpectAsync(id, new HoldVoidRequested
                    {
                        PaymentId = id.ToString(), HoldPaymentId = voided.ToString(), Ledger = Intents.Ledger, Principal = "dev",
                    }, model.Void(id, voided, clock));
                    break;
                case Reverse reverse:
                    var original = Pick(transfers, reverse.Transfer);
                    transfers.Add(id);
                    await ExpectAsync(id, new ReversalRequested
                    {
                        PaymentId = id.ToString(), OriginalPaymentId = original.ToString(), AmountMinor = reverse.Amount, Ledger = Intents.Ledger, Principal = "dev",
                    }, model.Reverse(id, original, reverse.Amount));
                    break;
                case SetStatus status:
                    await ExpectAsync(id, new AccountStatusChangeRequested
                    {
                        ChangeId = id.ToString(), AccountId = accounts[status.Account].ToString(), Ledger = Intents.Ledger, Status = status.Status, Principal = "dev",
                    }, model.SetStatus(accounts[status.Account], status.Status.ToString().ToUpperInvariant()));
                    break;
                case Advance advance:
                    await TickAsync(advance.Seconds);
                    break;
                case Duplicate duplicate when published.Count > 0:
                    await ExpectNoEffectAsync(published[duplicate.Step % published.Count], changeAmount: null);
                    break;
                case ConflictingRetry retry when published.Count > 0:
                    await ExpectNoEffectAsync(published[retry.Step % published.Count], retry.Amount);
                    break;
            }
        }

        public async Task AssertBalancesAgreeAsync()
        {
            foreach (var (id, expected) in model.Accounts)
            {
                await using var command = database.Ledger.CreateCommand("""
                    select coalesce(e.debits_posted, 0), coalesce(e.credits_posted, 0), coalesce(e.debits_pending, 0), coalesce(e.credits_pending, 0),
                           coalesce((select status from ledger.account_events s where s.account_id = $1 order by status_seq desc limit 1), 'ACTIVE')
                    from (select 1) one
                    left join lateral (select * from ledger.entries where account_id = $1 order by account_seq desc limit 1) e on true
                    """);
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                Assert.Equal(
                    (expected.DebitsPosted, expected.CreditsPosted, expected.DebitsPending, expected.CreditsPending, expected.Status),
                    (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4)));
            }
        }

        private PaymentRequested Payment(Guid id, int from, int to, long amount, string currency) => new()
        {
            PaymentId = id.ToString(), RequestId = id.ToString(), Principal = "dev", Ledger = Intents.Ledger,
            DebitAccountId = accounts[from].ToString(), CreditAccountId = accounts[to].ToString(), AmountMinor = amount, Currency = currency,
        };

        private async Task ExpectAsync(Guid id, IMessage intent, ResultCode expected)
        {
            var envelope = ProtoEvents.Wrap(intent, Guid.NewGuid(), "tests", id.ToString(), Intents.Ledger, clock, null);
            published.Add((id, intent, envelope));
            await PublishAsync(envelope);
            Assert.Equal(expected.Reason(), await OutcomeAsync(id));
        }

        // A re-publish, or a retry with another amount under the same intent id: the first outcome stands.
        private async Task ExpectNoEffectAsync((Guid Id, IMessage Intent, EventEnvelope Event) earlier, long? changeAmount)
        {
            var intent = earlier.Intent.Descriptor.Parser.ParseFrom(earlier.Intent.ToByteString());
            if (changeAmount is { } amount && intent is PaymentRequested payment)
            {
                payment.AmountMinor = amount;
            }

            var rowsBefore = await RowCountAsync();
            var outcomeBefore = await OutcomeAsync(earlier.Id);
            await PublishAsync(ProtoEvents.Wrap(intent, Guid.NewGuid(), "tests", earlier.Id.ToString(), Intents.Ledger, clock, null));
            Assert.Equal(rowsBefore, await RowCountAsync());
            Assert.Equal(outcomeBefore, await OutcomeAsync(earlier.Id));
        }

        private async Task TickAsync(int seconds)
        {
            clock = clock.AddSeconds(seconds);
            var expected = model.Tick(clock);
            var tick = Intents.Tick(clock);
            await PublishAsync(tick);
            var expired = await database.Ledger.ScalarAsync<Guid[]>(
                "select coalesce(array_agg(pending_id), '{}') from ledger.transfers where event_id = $1 and expired", tick.Id);
            Assert.Equal(expected.Order(), expired.Where(id => holds.Contains(id)).Order());
        }

        private async Task PublishAsync(EventEnvelope envelope)
        {
            await publisher.PublishAsync(EventTopics.Payments, [envelope], CancellationToken.None);
            await LedgerWriterHarness.WaitCaughtUpAsync(database);
        }

        private Task<string> OutcomeAsync(Guid id) => database.Ledger.ScalarAsync<string>("""
            select coalesce(
                (select code from ledger.rejections where intent_id = $1),
                (select 'OK' where exists (select 1 from ledger.transfers where id = $1)
                                or exists (select 1 from ledger.accounts where id = $1)
                                or exists (select 1 from ledger.account_events where change_id = $1)),
                'NONE')
            """, id);

        private Task<long> RowCountAsync() => database.Ledger.ScalarAsync<long>("""
            select (select count(*) from ledger.transfers) + (select count(*) from ledger.rejections)
                 + (select count(*) from ledger.accounts) + (select count(*) from ledger.account_events)
            """);

        // An index past the end names an id nobody created, to exercise the not-found paths too.
        private static Guid Pick(List<Guid> items, int index) =>
            index >= 0 && index < items.Count ? items[index] : Guid.NewGuid();
    }
}
