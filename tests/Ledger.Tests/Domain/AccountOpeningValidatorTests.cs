using Payments.Contracts.LedgerV1;
using Payments.Ledger.Domain;
using Account = Payments.Ledger.Domain.Account;

namespace Payments.Ledger.Tests.Domain;

public sealed class AccountOpeningValidatorTests
{
    private static Account Request(string currency = "EUR", string owner = "alice", AccountLimits limits = AccountLimits.None) =>
        new(Guid.NewGuid(), "main", currency, owner, limits, Guid.NewGuid(), DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_valid_account_is_ok() =>
        Assert.Equal(ResultCode.Ok, AccountOpeningValidator.Validate(Request(limits: AccountLimits.DebitsMustNotExceedCredits)));

    [Theory]
    [InlineData("")]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData("ÉUR")]
    [InlineData("EUR\n")]
    public void Currency_must_be_an_iso_code(string currency) =>
        Assert.Equal(ResultCode.CurrencyInvalid, AccountOpeningValidator.Validate(Request(currency)));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Owner_is_required(string owner) =>
        Assert.Equal(ResultCode.OwnerRequired, AccountOpeningValidator.Validate(Request(owner: owner)));

    [Fact]
    public void Both_limits_are_mutually_exclusive() =>
        Assert.Equal(ResultCode.FlagsMutuallyExclusive, AccountOpeningValidator.Validate(
            Request(limits: AccountLimits.DebitsMustNotExceedCredits | AccountLimits.CreditsMustNotExceedDebits)));
}
