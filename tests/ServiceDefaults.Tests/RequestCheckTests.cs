using Google.Rpc;
using Grpc.Core;
using Payments.ServiceDefaults.Grpc;

namespace Payments.ServiceDefaults.Tests;

public sealed class RequestCheckTests
{
    private static string ReasonOf(Action action)
    {
        var error = Assert.Throws<RpcException>(action);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason;
    }

    [Fact]
    public void A_page_token_resumes_only_the_query_it_was_issued_for()
    {
        var token = Paging.Token("entries:a", 42);
        Assert.Equal(42, Paging.After(token, "entries:a"));
        Assert.Equal(0, Paging.After("", "entries:a"));
        Assert.Equal("PAGE_TOKEN_INVALID", ReasonOf(() => Paging.After(token, "entries:b")));
        Assert.Equal("PAGE_TOKEN_INVALID", ReasonOf(() => Paging.After("!!!", "entries:a")));
        Assert.Equal("PAGE_TOKEN_INVALID", ReasonOf(() => Paging.After(Paging.Token("entries:a", -1), "entries:a")));
    }

    [Fact]
    public void A_scope_holding_the_separator_resumes_its_own_query_and_no_other()
    {
        // Issuers such as Auth0 name subjects "auth0|42", and a principal's listing is scoped by its name.
        var token = Paging.Token("payments:auth0|42", 5);
        Assert.Equal(5, Paging.After(token, "payments:auth0|42"));
        Assert.Equal("PAGE_TOKEN_INVALID", ReasonOf(() => Paging.After(token, "payments:auth0")));
        Assert.Equal("PAGE_TOKEN_INVALID", ReasonOf(() => Paging.After(Paging.Token("payments:auth0", 5), "payments:auth0|42")));
    }

    [Fact]
    public void An_id_page_token_resumes_only_its_query_and_only_as_an_id()
    {
        var after = Guid.NewGuid();
        var token = Paging.Token("audit-runs:main", after);
        Assert.Equal(after, Paging.AfterId(token, "audit-runs:main"));
        Assert.Null(Paging.AfterId("", "audit-runs:main"));
        Assert.Equal("PAGE_TOKEN_INVALID", ReasonOf(() => Paging.AfterId(token, "audit-runs:other")));
        Assert.Equal("PAGE_TOKEN_INVALID", ReasonOf(() => Paging.AfterId(Paging.Token("audit-runs:main", 42), "audit-runs:main")));
        Assert.Equal("PAGE_TOKEN_INVALID", ReasonOf(() => Paging.After(token, "audit-runs:main")));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(int.MaxValue)]
    public void Page_sizes_are_bounded(int size) => Assert.Equal("PAGE_SIZE_INVALID", ReasonOf(() => Paging.PageSize(size)));

    [Fact]
    public void An_absent_page_size_means_the_default() => Assert.Equal(Paging.PageSizeDefault, Paging.PageSize(0));

    [Theory]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("{123e4567-e89b-12d3-a456-426614174000}")]
    [InlineData("123e4567e89b12d3a456426614174000")]
    public void Ids_must_be_canonical_uuids(string id) => Assert.Equal("ID_INVALID", ReasonOf(() => RequestGuards.Id(id, "account_id")));

    [Fact]
    public void Request_ids_are_required_and_bounded()
    {
        Assert.Equal("REQUEST_ID_REQUIRED", ReasonOf(() => RequestGuards.RequestId("")));
        Assert.Equal("REQUEST_ID_TOO_LONG", ReasonOf(() => RequestGuards.RequestId(new string('r', 129))));
        Assert.Equal(new string('r', 128), RequestGuards.RequestId(new string('r', 128)));
    }

    [Theory]
    [InlineData("with\u0000nul")]
    [InlineData("new\nline")]
    [InlineData("\u007f")]
    public void Text_with_control_characters_is_refused(string value)
    {
        Assert.Equal("TEXT_INVALID", ReasonOf(() => RequestGuards.RequestId(value)));
        Assert.Equal("TEXT_INVALID", ReasonOf(() => RequestGuards.Text(value, "owner")));
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("€UR")]
    [InlineData("EUR\n")]
    [InlineData("EU\n")]
    public void Currencies_must_look_like_iso_codes(string currency) =>
        Assert.Equal("CURRENCY_INVALID", ReasonOf(() => RequestGuards.Currency(currency)));
}
