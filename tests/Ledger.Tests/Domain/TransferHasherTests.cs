using Payments.Ledger.Domain;
using static Payments.Ledger.Tests.Domain.Accounts;

namespace Payments.Ledger.Tests.Domain;

public sealed class TransferHasherTests
{
    private static readonly Guid DebitId = new("22222222-2222-2222-2222-222222222222");
    private static readonly Guid CreditId = new("33333333-3333-3333-3333-333333333333");

    private static TransferPosting.Posted Post(long amount = 100, string? traceId = "4bf92f3577b34da6a3ce929d0e0e4736") =>
        TransferPosting.Commit(
            new TransferDraft(new Guid("11111111-1111-1111-1111-111111111111"), "main", TransferKind.Posted, DebitId, CreditId,
                amount, 0, "EUR", new Guid("44444444-4444-4444-4444-444444444444"), traceId, "dev",
                new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            State() with { Account = State().Account with { Id = DebitId } },
            State() with { Account = State().Account with { Id = CreditId } },
            ChainHead.Genesis);

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
            original with { Kind = TransferKind.Reversal },
            original with { PendingId = Guid.NewGuid() },
            original with { ReversalOfId = Guid.NewGuid() },
            original with { ExpiresAt = original.CreatedAt },
            original with { Expired = true },
        ];
        foreach (var transfer in tampered)
        {
            Assert.NotEqual(original.Hash, TransferHasher.Hash(original.PrevHash, transfer));
        }
    }

    [Fact]
    public void A_hold_reserves_and_its_partial_post_releases_the_rest()
    {
        var debit = State() with { Account = State().Account with { Id = DebitId } };
        var credit = State() with { Account = State().Account with { Id = CreditId } };
        TransferDraft Draft(TransferKind kind, long amount, long released = 0) =>
            new(Guid.NewGuid(), "main", kind, DebitId, CreditId, amount, released, "EUR", Guid.NewGuid(), null, "dev", DateTimeOffset.UnixEpoch);

        var held = TransferPosting.Commit(Draft(TransferKind.Pending, 500), debit, credit, ChainHead.Genesis);
        Assert.Equal(new Balances(0, 0, 500, 0), held.DebitAfter.Balances);
        Assert.Equal(new Balances(0, 0, 0, 500), held.CreditAfter.Balances);

        var head = new ChainHead(held.Transfer.Sequence, held.Transfer.Hash);
        var posted = TransferPosting.Commit(Draft(TransferKind.PostPending, 300, released: 500), held.DebitAfter, held.CreditAfter, head);
        Assert.Equal(new Balances(300, 0, 0, 0), posted.DebitAfter.Balances);
        Assert.Equal(new Balances(0, 300, 0, 0), posted.CreditAfter.Balances);
        Assert.Equal(2, posted.Transfer.Sequence);
        Assert.Equal(held.Transfer.Hash, posted.Transfer.PrevHash);
    }

    [Fact]
    public void Releasing_more_than_is_held_is_a_bug_not_a_refusal()
    {
        var debit = State();
        var credit = State();
        var draft = new TransferDraft(Guid.NewGuid(), "main", TransferKind.VoidPending, debit.Account.Id, credit.Account.Id, 1, 0, "EUR",
            Guid.NewGuid(), null, "dev", DateTimeOffset.UnixEpoch);
        Assert.Throws<InvariantViolationException>(() => TransferPosting.Commit(draft, debit, credit, ChainHead.Genesis));
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

    // A known answer: the layout is a contract with every auditor, in any language. If this value changes,
    // every stored chain stops verifying, so it may change only with a new layout version.
    [Fact]
    public void The_canonical_layout_has_a_fixed_known_answer()
    {
        var transfer = Post().Transfer with { PendingId = new Guid("55555555-5555-5555-5555-555555555555"), Expired = true };

        Assert.Equal(KnownCanonicalSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(TransferHasher.CanonicalBytes(transfer))));
        Assert.Equal(KnownChainHash, Convert.ToHexStringLower(TransferHasher.Hash(ChainHead.Genesis.Hash, transfer)));
    }

    // The hash object is reused per thread; each call must start from a clean state.
    [Fact]
    public void Each_hash_on_a_thread_starts_afresh()
    {
        var transfer = Post().Transfer with { PendingId = new Guid("55555555-5555-5555-5555-555555555555"), Expired = true };
        var other = Post(amount: 7).Transfer;

        var hashes = Enumerable.Range(0, 4).Select(i => TransferHasher.Hash(ChainHead.Genesis.Hash, i % 2 == 0 ? transfer : other)).ToList();

        Assert.Equal(KnownChainHash, Convert.ToHexStringLower(hashes[2]));
        Assert.Equal(hashes[0], hashes[2]);
        Assert.Equal(hashes[1], hashes[3]);
        Assert.NotEqual(hashes[0], hashes[1]);
    }

    private const string KnownCanonicalSha256 = "b162205e0e27885299eafcbc20a08a5656b48520234a6e87a2b87d1d0ac2b70f";
    private const string KnownChainHash = "713a1fa7ad8282d13d124ee9ac07af1ec390d5c0b76762f9a1fd058f0eff0729";
}
