using Payments.Ledger.Domain;
using static Payments.Ledger.Tests.Domain.Accounts;

namespace Payments.Ledger.Tests.Domain;

public sealed class TransferHasherTests
{
    private static TransferPosting.Posted Post(long amount = 100, string? traceId = "4bf92f3577b34da6a3ce929d0e0e4736") =>
        TransferPosting.Post(
            new TransferCommand(new Guid("11111111-1111-1111-1111-111111111111"), "main",
                new Guid("22222222-2222-2222-2222-222222222222"), new Guid("33333333-3333-3333-3333-333333333333"), amount, "EUR"),
            State() with { Account = State().Account with { Id = new Guid("22222222-2222-2222-2222-222222222222") } },
            State() with { Account = State().Account with { Id = new Guid("33333333-3333-3333-3333-333333333333") } },
            ChainHead.Genesis, new Guid("44444444-4444-4444-4444-444444444444"), traceId, "dev",
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void The_same_transfer_always_hashes_the_same() =>
        Assert.Equal(Post().Transfer.Hash, Post().Transfer.Hash);

    [Fact]
    public void The_hash_covers_prev_hash_and_is_stored_with_it()
    {
        var transfer = Post().Transfer;
        Assert.Equal(ChainHead.Genesis.Hash, transfer.PrevHash);
        Assert.Equal(TransferHasher.Hash(transfer.PrevHash, transfer), transfer.Hash);
        Assert.NotEqual(transfer.Hash, TransferHasher.Hash(Enumerable.Repeat((byte)1, 32).ToArray(), transfer));
    }

    [Fact]
    public void Changing_any_field_changes_the_hash()
    {
        var original = Post().Transfer;
        Transfer[] tampered =
        [
            original with { AmountMinor = 101 },
            original with { Sequence = 2 },
            original with { Currency = "USD" },
            original with { TraceId = null },
            original with { Principal = "mallory" },
            original with { CreatedAt = original.CreatedAt.AddTicks(10) },
            original with { Debit = original.Debit with { BalancesAfter = original.Debit.BalancesAfter with { DebitsPosted = 1 } } },
            original with { Credit = original.Credit with { AccountSequence = 7 } },
        ];
        foreach (var transfer in tampered)
        {
            Assert.NotEqual(original.Hash, TransferHasher.Hash(original.PrevHash, transfer));
        }
    }

    [Fact]
    public void Posting_moves_the_amount_from_debits_to_credits()
    {
        var posted = Post(amount: 250);
        Assert.Equal(250, posted.DebitAfter.Balances.DebitsPosted);
        Assert.Equal(250, posted.CreditAfter.Balances.CreditsPosted);
        Assert.Equal(1, posted.DebitAfter.Sequence);
        Assert.Equal(EntryDirection.Debit, posted.Transfer.Debit.Direction);
        Assert.Equal(EntryDirection.Credit, posted.Transfer.Credit.Direction);
        Assert.Equal(1, posted.Transfer.Sequence);
    }
}
