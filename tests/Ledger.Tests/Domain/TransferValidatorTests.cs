using Payments.Contracts.LedgerV1;
using Payments.Ledger.Domain;
using static Payments.Ledger.Tests.Domain.Accounts;

namespace Payments.Ledger.Tests.Domain;

public sealed class TransferValidatorTests
{
    private readonly AccountState debit = State();
    private readonly AccountState credit = State();

    [Fact]
    public void A_valid_transfer_is_ok() =>
        Assert.Equal(ResultCode.Ok, TransferValidator.Validate(Transfer(debit, credit), debit, credit));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Amount_must_be_positive(long amount) =>
        Assert.Equal(ResultCode.AmountMustBePositive, TransferValidator.Validate(Transfer(debit, credit, amount), debit, credit));

    [Fact]
    public void Accounts_must_be_different() =>
        Assert.Equal(ResultCode.AccountsMustBeDifferent, TransferValidator.Validate(Transfer(debit, debit), debit, debit));

    [Fact]
    public void Debit_account_must_exist() =>
        Assert.Equal(ResultCode.DebitAccountNotFound, TransferValidator.Validate(Transfer(debit, credit), null, credit));

    [Fact]
    public void Credit_account_must_exist() =>
        Assert.Equal(ResultCode.CreditAccountNotFound, TransferValidator.Validate(Transfer(debit, credit), debit, null));

    [Fact]
    public void An_account_of_another_ledger_is_not_found()
    {
        var elsewhere = State(ledger: "other");
        Assert.Equal(ResultCode.DebitAccountNotFound, TransferValidator.Validate(Transfer(elsewhere, credit), elsewhere, credit));
        Assert.Equal(ResultCode.CreditAccountNotFound, TransferValidator.Validate(Transfer(debit, elsewhere), debit, elsewhere));
    }

    [Fact]
    public void Currency_must_match_both_accounts()
    {
        var dollars = State("USD");
        Assert.Equal(ResultCode.CurrencyMismatch, TransferValidator.Validate(Transfer(dollars, credit), dollars, credit));
        Assert.Equal(ResultCode.CurrencyMismatch, TransferValidator.Validate(Transfer(debit, dollars), debit, dollars));
        Assert.Equal(ResultCode.CurrencyMismatch, TransferValidator.Validate(Transfer(debit, credit, currency: "USD"), debit, credit));
    }

    [Fact]
    public void Debits_may_not_overflow()
    {
        var full = State(balances: new Balances(long.MaxValue - 50, 0, 0, 0));
        Assert.Equal(ResultCode.Overflow, TransferValidator.Validate(Transfer(full, credit, 51), full, credit));
        Assert.Equal(ResultCode.Ok, TransferValidator.Validate(Transfer(full, credit, 50), full, credit));
    }

    [Fact]
    public void Credits_may_not_overflow_counting_pending()
    {
        var full = State(balances: new Balances(0, long.MaxValue - 100, 0, 60));
        Assert.Equal(ResultCode.Overflow, TransferValidator.Validate(Transfer(debit, full, 41), debit, full));
    }

    [Fact]
    public void Debits_may_not_exceed_credits_when_flagged()
    {
        var wallet = State(limits: AccountLimits.DebitsMustNotExceedCredits, balances: new Balances(0, 100, 0, 0));
        Assert.Equal(ResultCode.Ok, TransferValidator.Validate(Transfer(wallet, credit, 100), wallet, credit));
        Assert.Equal(ResultCode.ExceedsCredits, TransferValidator.Validate(Transfer(wallet, credit, 101), wallet, credit));
    }

    [Fact]
    public void Pending_debits_count_against_the_credit_limit()
    {
        var wallet = State(limits: AccountLimits.DebitsMustNotExceedCredits, balances: new Balances(0, 100, 30, 0));
        Assert.Equal(ResultCode.ExceedsCredits, TransferValidator.Validate(Transfer(wallet, credit, 71), wallet, credit));
        Assert.Equal(ResultCode.Ok, TransferValidator.Validate(Transfer(wallet, credit, 70), wallet, credit));
    }

    [Fact]
    public void Credits_may_not_exceed_debits_when_flagged()
    {
        var line = State(limits: AccountLimits.CreditsMustNotExceedDebits, balances: new Balances(100, 0, 0, 0));
        Assert.Equal(ResultCode.Ok, TransferValidator.Validate(Transfer(debit, line, 100), debit, line));
        Assert.Equal(ResultCode.ExceedsDebits, TransferValidator.Validate(Transfer(debit, line, 101), debit, line));
    }

    [Fact]
    public void An_unflagged_account_may_go_negative()
    {
        var funding = State(balances: default);
        Assert.Equal(ResultCode.Ok, TransferValidator.Validate(Transfer(funding, credit, 1_000_000), funding, credit));
    }

    [Fact]
    public void Rules_are_checked_in_the_documented_order()
    {
        // A command that breaks every rule reports the first one, then the next once that is fixed.
        var dollars = State("USD", AccountLimits.DebitsMustNotExceedCredits);
        Assert.Equal(ResultCode.AmountMustBePositive, TransferValidator.Validate(Transfer(dollars, dollars, 0), null, null));
        Assert.Equal(ResultCode.AccountsMustBeDifferent, TransferValidator.Validate(Transfer(dollars, dollars), null, null));
        Assert.Equal(ResultCode.DebitAccountNotFound, TransferValidator.Validate(Transfer(dollars, credit), null, null));
        Assert.Equal(ResultCode.CurrencyMismatch, TransferValidator.Validate(Transfer(dollars, credit), dollars, credit));
        Assert.Equal(ResultCode.ExceedsCredits, TransferValidator.Validate(Transfer(dollars, credit, currency: "USD"), dollars, State("USD")));
    }
}
