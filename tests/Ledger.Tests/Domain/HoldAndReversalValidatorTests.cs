using Payments.Contracts.LedgerV1;
using Payments.Ledger.Domain;
using static Payments.Ledger.Tests.Domain.Accounts;
using AccountStatus = Payments.Ledger.Domain.AccountStatus;
using TransferKind = Payments.Ledger.Domain.TransferKind;

namespace Payments.Ledger.Tests.Domain;

public sealed class HoldAndReversalValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly AccountState debit = State();
    private readonly AccountState credit = State();

    private TransferState Hold(HoldResolution resolution = HoldResolution.Open, long amount = 500) =>
        new(Guid.NewGuid(), "main", TransferKind.Pending, debit.Account.Id, credit.Account.Id, amount, "EUR", 1,
            Now.AddMinutes(5), resolution, 0);

    private TransferState Posted(long amount = 500, long reversed = 0, TransferKind kind = TransferKind.Posted) =>
        new(Guid.NewGuid(), "main", kind, debit.Account.Id, credit.Account.Id, amount, "EUR", 1, null, HoldResolution.Open, reversed);

    [Fact]
    public void An_open_hold_may_be_posted_fully_or_partially_and_voided()
    {
        Assert.Equal(ResultCode.Ok, HoldValidator.ValidatePost(Hold(), "main", 0, Now, debit, credit));
        Assert.Equal(ResultCode.Ok, HoldValidator.ValidatePost(Hold(), "main", 500, Now, debit, credit));
        Assert.Equal(ResultCode.Ok, HoldValidator.ValidatePost(Hold(), "main", 1, Now, debit, credit));
        Assert.Equal(ResultCode.Ok, HoldValidator.ValidateVoid(Hold(), "main", Now));
    }

    [Fact]
    public void A_missing_or_foreign_transfer_is_not_a_hold()
    {
        Assert.Equal(ResultCode.PendingTransferNotFound, HoldValidator.ValidatePost(null, "main", 0, Now, debit, credit));
        Assert.Equal(ResultCode.PendingTransferNotFound, HoldValidator.ValidateVoid(Posted(), "main", Now));
        Assert.Equal(ResultCode.PendingTransferNotFound, HoldValidator.ValidateVoid(Hold() with { Ledger = "other" }, "main", Now));
    }

    [Theory]
    [InlineData(HoldResolution.Posted, ResultCode.AlreadyPosted)]
    [InlineData(HoldResolution.Voided, ResultCode.AlreadyVoided)]
    [InlineData(HoldResolution.Expired, ResultCode.PendingTransferExpired)]
    public void A_hold_is_resolved_only_once(HoldResolution resolution, ResultCode expected)
    {
        Assert.Equal(expected, HoldValidator.ValidatePost(Hold(resolution), "main", 0, Now, debit, credit));
        Assert.Equal(expected, HoldValidator.ValidateVoid(Hold(resolution), "main", Now));
    }

    [Fact]
    public void A_hold_past_its_timeout_cannot_be_posted_even_before_the_clock_releases_it()
    {
        var hold = Hold();
        Assert.Equal(ResultCode.PendingTransferExpired, HoldValidator.ValidatePost(hold, "main", 0, hold.ExpiresAt!.Value, debit, credit));
        Assert.Equal(ResultCode.Ok, HoldValidator.ValidatePost(hold, "main", 0, hold.ExpiresAt.Value.AddTicks(-10), debit, credit));
    }

    [Fact]
    public void A_post_may_not_exceed_the_hold()
    {
        Assert.Equal(ResultCode.ExceedsPendingAmount, HoldValidator.ValidatePost(Hold(), "main", 501, Now, debit, credit));
        Assert.Equal(ResultCode.AmountMustBePositive, HoldValidator.ValidatePost(Hold(), "main", -1, Now, debit, credit));
    }

    [Fact]
    public void A_closed_account_refuses_a_post_but_never_a_release()
    {
        var closed = debit with { Status = AccountStatus.Closed };
        Assert.Equal(ResultCode.AccountClosed, HoldValidator.ValidatePost(Hold(), "main", 0, Now, closed, credit));
        Assert.Equal(ResultCode.Ok, HoldValidator.ValidatePost(Hold(), "main", 0, Now, debit with { Status = AccountStatus.Frozen }, credit));
        Assert.Equal(ResultCode.Ok, HoldValidator.ValidateVoid(Hold(), "main", Now));
    }

    [Fact]
    public void Frozen_accounts_refuse_debits_and_closed_accounts_refuse_everything()
    {
        var frozen = debit with { Status = AccountStatus.Frozen };
        var closed = credit with { Status = AccountStatus.Closed };
        Assert.Equal(ResultCode.AccountFrozen, TransferValidator.Validate(Transfer(frozen, credit), frozen, credit));
        Assert.Equal(ResultCode.Ok, TransferValidator.Validate(Transfer(credit, frozen), credit, frozen));
        Assert.Equal(ResultCode.AccountClosed, TransferValidator.Validate(Transfer(debit, closed), debit, closed));
        Assert.Equal(ResultCode.AccountClosed, TransferValidator.Validate(Transfer(closed, debit), closed, debit));
    }

    [Fact]
    public void A_reversal_moves_back_at_most_what_remains()
    {
        var original = Posted(amount: 500, reversed: 200);
        Assert.Equal((ResultCode.Ok, 300L), ReversalValidator.Validate(original, "main", 0, Guid.NewGuid(), credit, debit));
        Assert.Equal((ResultCode.Ok, 300L), ReversalValidator.Validate(original, "main", 300, Guid.NewGuid(), credit, debit));
        Assert.Equal(ResultCode.ExceedsReversibleAmount, ReversalValidator.Validate(original, "main", 301, Guid.NewGuid(), credit, debit).Code);
        Assert.Equal(ResultCode.ExceedsReversibleAmount, ReversalValidator.Validate(Posted(reversed: 500), "main", 0, Guid.NewGuid(), credit, debit).Code);
        Assert.Equal(ResultCode.AmountMustBePositive, ReversalValidator.Validate(original, "main", -5, Guid.NewGuid(), credit, debit).Code);
    }

    [Fact]
    public void Only_posted_transfers_and_captures_can_be_reversed()
    {
        Assert.Equal(ResultCode.ReversalTargetNotFound, ReversalValidator.Validate(null, "main", 0, Guid.NewGuid(), credit, debit).Code);
        Assert.Equal(ResultCode.Ok, ReversalValidator.Validate(Posted(kind: TransferKind.PostPending), "main", 0, Guid.NewGuid(), credit, debit).Code);
        foreach (var kind in new[] { TransferKind.Pending, TransferKind.VoidPending, TransferKind.Reversal })
        {
            Assert.Equal(ResultCode.ReversalTargetNotReversible, ReversalValidator.Validate(Posted(kind: kind), "main", 0, Guid.NewGuid(), credit, debit).Code);
        }
    }

    [Fact]
    public void A_reversal_obeys_the_receiving_accounts_limits()
    {
        // The money comes back out of the original credit account, which may have spent it.
        var spent = credit with { Account = credit.Account with { Limits = AccountLimits.DebitsMustNotExceedCredits }, Balances = new Balances(400, 500, 0, 0) };
        Assert.Equal(ResultCode.ExceedsCredits, ReversalValidator.Validate(Posted(), "main", 0, Guid.NewGuid(), spent, debit).Code);
        Assert.Equal(ResultCode.Ok, ReversalValidator.Validate(Posted(), "main", 100, Guid.NewGuid(), spent, debit).Code);
    }
}
