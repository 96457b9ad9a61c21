using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.Testing;

namespace Payments.EndToEnd.Tests;

public sealed class PaymentFlowTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Open_accounts_pay_and_read_balances_over_grpc()
    {
        var funding = await platform.OpenAccountAsync("treasury");
        var alice = await platform.OpenAccountAsync("alice", noOverdraft: true);
        var bob = await platform.OpenAccountAsync("bob", noOverdraft: true);

        var deposit = await platform.PayAsync(funding, alice, 100_000, requestId: "deposit-1");
        Assert.Equal(PaymentStatus.Posted, deposit.Status);
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(alice, bob, 30_000)).Status);

        var refused = await Assert.ThrowsAsync<RpcException>(() => platform.PayAsync(bob, alice, 50_000));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("EXCEEDS_CREDITS", refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);

        // A retry with the same request_id answers with the original payment and moves nothing.
        var retried = await platform.PayAsync(funding, alice, 100_000, requestId: "deposit-1");
        Assert.Equal(deposit.Id, retried.Id);
        Assert.Equal(deposit.LedgerSequence, retried.LedgerSequence);

        Assert.Equal(-100_000, await platform.PostedBalanceAsync(funding));
        Assert.Equal(70_000, await platform.PostedBalanceAsync(alice));
        Assert.Equal(30_000, await platform.PostedBalanceAsync(bob));

        var entries = await platform.LedgerClient.ListEntriesAsync(new ListEntriesRequest { AccountId = alice, PageSize = 1 }, deadline: platform.Deadline);
        Assert.Single(entries.Entries);
        Assert.Equal(EntryDirection.Credit, entries.Entries[0].Direction);
        var next = await platform.LedgerClient.ListEntriesAsync(
            new ListEntriesRequest { AccountId = alice, PageSize = 10, PageToken = entries.NextPageToken }, deadline: platform.Deadline);
        Assert.Equal(EntryDirection.Debit, Assert.Single(next.Entries).Direction);
        Assert.Empty(next.NextPageToken);

        var fetched = await platform.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = deposit.Id }, deadline: platform.Deadline);
        Assert.Equal(PaymentStatus.Posted, fetched.Payment.Status);
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
        await LedgerInvariants.AssertEveryIntentHasOneOutcomeAsync(platform.Database.Ledger);
    }

    [Fact]
    public async Task The_trace_id_of_the_request_reaches_the_ledger_row()
    {
        var from = await platform.OpenAccountAsync("tracer");
        var to = await platform.OpenAccountAsync("traced");
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        var headers = new Metadata { { "traceparent", $"00-{traceId}-b7ad6b7169203331-01" } };

        var payment = await platform.PayAsync(from, to, 1, headers: headers);

        var transfer = await platform.LedgerClient.GetTransferAsync(new GetTransferRequest { TransferId = payment.Id }, deadline: platform.Deadline);
        Assert.Equal(traceId, transfer.Transfer.TraceId);
        Assert.Equal(32, transfer.Transfer.Hash.Length);
    }

    [Fact]
    public async Task Bad_requests_get_a_precise_status_and_write_nothing()
    {
        var account = await platform.OpenAccountAsync("careful");
        var other = await platform.OpenAccountAsync("careless");
        var eventsBefore = await platform.Database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events");

        await AssertRefused(StatusCode.InvalidArgument, "REQUEST_ID_REQUIRED", () => platform.PayAsync(account, other, 1, requestId: ""));
        await AssertRefused(StatusCode.InvalidArgument, "REQUEST_ID_TOO_LONG", () => platform.PayAsync(account, other, 1, requestId: new string('x', 129)));
        await AssertRefused(StatusCode.InvalidArgument, "ID_INVALID", () => platform.PayAsync("not-a-uuid", other, 1));
        await AssertRefused(StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", () => platform.PayAsync(account, other, 0));
        await AssertRefused(StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", () => platform.PayAsync(account, other, long.MinValue));
        await AssertRefused(StatusCode.InvalidArgument, "ACCOUNTS_MUST_BE_DIFFERENT", () => platform.PayAsync(account, account, 1));
        await AssertRefused(StatusCode.InvalidArgument, "CURRENCY_INVALID", () => platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = "c", DebitAccountId = account, CreditAccountId = other, AmountMinor = 1, Currency = "euro",
        }).ResponseAsync);
        await AssertRefused(StatusCode.NotFound, "PAYMENT_NOT_FOUND", () =>
            platform.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = Guid.NewGuid().ToString() }).ResponseAsync);
        await AssertRefused(StatusCode.NotFound, "ACCOUNT_NOT_FOUND", () =>
            platform.LedgerClient.GetBalanceAsync(new GetBalanceRequest { AccountId = Guid.NewGuid().ToString() }).ResponseAsync);
        await AssertRefused(StatusCode.InvalidArgument, "PAGE_SIZE_INVALID", () =>
            platform.LedgerClient.ListEntriesAsync(new ListEntriesRequest { AccountId = account, PageSize = 1001 }).ResponseAsync);
        await AssertRefused(StatusCode.InvalidArgument, "PAGE_TOKEN_INVALID", () =>
            platform.LedgerClient.ListEntriesAsync(new ListEntriesRequest { AccountId = account, PageToken = "forged" }).ResponseAsync);
        await AssertRefused(StatusCode.InvalidArgument, "FLAGS_MUTUALLY_EXCLUSIVE", () => platform.LedgerClient.OpenAccountAsync(new OpenAccountRequest
        {
            RequestId = "f", Owner = "x", Currency = "EUR",
            Flags = new AccountFlags { DebitsMustNotExceedCredits = true, CreditsMustNotExceedDebits = true },
        }).ResponseAsync);

        Assert.Equal(eventsBefore, await platform.Database.Ledger.ScalarAsync<long>("select count(*) from eventlog.events"));
    }

    [Fact]
    public async Task A_request_id_reused_with_another_payload_is_already_exists_and_moves_nothing()
    {
        var from = await platform.OpenAccountAsync("first");
        var to = await platform.OpenAccountAsync("second");
        var third = await platform.OpenAccountAsync("third");
        var original = await platform.PayAsync(from, to, 500, requestId: "reused");

        await AssertRefused(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_AMOUNT", () => platform.PayAsync(from, to, 501, requestId: "reused"));
        await AssertRefused(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT", () => platform.PayAsync(third, to, 500, requestId: "reused"));
        await AssertRefused(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT", () => platform.PayAsync(from, third, 500, requestId: "reused"));
        Assert.Equal(original.Id, (await platform.PayAsync(from, to, 500, requestId: "reused")).Id);

        var opening = new OpenAccountRequest { RequestId = "account-reused", Owner = "owner", Currency = "EUR" };
        var account = await platform.LedgerClient.OpenAccountAsync(opening, deadline: platform.Deadline);
        Assert.Equal(account.Account.Id, (await platform.LedgerClient.OpenAccountAsync(opening, deadline: platform.Deadline)).Account.Id);
        await AssertRefused(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_CURRENCY", () =>
            platform.LedgerClient.OpenAccountAsync(new OpenAccountRequest(opening) { Currency = "USD" }).ResponseAsync);
        await AssertRefused(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_OWNER", () =>
            platform.LedgerClient.OpenAccountAsync(new OpenAccountRequest(opening) { Owner = "mallory" }).ResponseAsync);

        await platform.LedgerClient.FreezeAccountAsync(new FreezeAccountRequest { RequestId = "change-reused", AccountId = third }, deadline: platform.Deadline);
        await AssertRefused(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_FIELDS", () =>
            platform.LedgerClient.FreezeAccountAsync(new FreezeAccountRequest { RequestId = "change-reused", AccountId = to }).ResponseAsync);
        await AssertRefused(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_FIELDS", () =>
            platform.LedgerClient.CloseAccountAsync(new CloseAccountRequest { RequestId = "change-reused", AccountId = third }).ResponseAsync);
        Assert.Equal(AccountStatus.Active, (await platform.LedgerClient.GetAccountAsync(new GetAccountRequest { AccountId = to })).Account.Status);

        // A different kind of call under a used request_id is refused and is not listed as another payment.
        await AssertRefused(StatusCode.AlreadyExists, "EXISTS_WITH_DIFFERENT_FIELDS", () => platform.Payments.ReversePaymentAsync(
            new ReversePaymentRequest { RequestId = "reused", PaymentId = original.Id }).ResponseAsync);
        var listed = await platform.Payments.ListPaymentsAsync(new ListPaymentsRequest { PageSize = 1000 }, deadline: platform.Deadline);
        Assert.Single(listed.Payments, p => p.Id == original.Id);

        Assert.Equal(-500, await platform.PostedBalanceAsync(from));
        Assert.Equal(0, await platform.PostedBalanceAsync(third));
        await LedgerInvariants.AssertHoldAsync(platform.Database.Ledger);
    }

    [Fact]
    public async Task Every_process_serves_health_and_reflection()
    {
        foreach (var url in new[] { platform.Api.Url, platform.Ledger.Url })
        {
            var channel = GrpcChannel.ForAddress(url);
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: platform.Deadline);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

            using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: platform.Deadline);
            await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await reflection.RequestStream.CompleteAsync();
            Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
            var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
            Assert.Contains(url == platform.Api.Url ? "payments.v1.PaymentService" : "ledger.v1.LedgerService", services);
            Assert.Contains("grpc.health.v1.Health", services);
        }
    }

    private static async Task AssertRefused(StatusCode status, string reason, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(status, error.StatusCode);
        var details = error.GetRpcStatus();
        Assert.NotNull(details);
        Assert.Equal(reason, Assert.Single(details.Details.Select(d => d.Unpack<ErrorInfo>())).Reason);
    }
}
