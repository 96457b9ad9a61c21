using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// Input an attacker controls: bytes that are not protobuf, messages past the size limit, extreme numbers,
/// fields the server owns, malformed ids, currencies and page tokens. Each gets a precise status, nothing
/// is written, and the service goes on serving.
/// </summary>
public sealed class HostileInputTests(Platform platform) : IClassFixture<Platform>
{
    private static readonly string CreatePaymentMethod = $"/{PaymentService.Descriptor.FullName}/CreatePayment";

    [Fact]
    public async Task Random_bytes_to_every_method_of_every_service_are_request_malformed_and_others_are_still_served()
    {
        var hostile = TestTokens.For("mallory", Scopes.All);
        var before = await Writes.CountAsync(platform);
        var random = new Random(7);
        foreach (var (server, method) in ReachableMethods.Of(platform).Select(m => (m.Server, m.Path)))
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                // 0xFF starts a tag with wire type 7, which no valid message contains; the rest is noise.
                var garbage = new byte[1 + random.Next(1, 512)];
                random.NextBytes(garbage);
                garbage[0] = 0xFF;
                var answer = await RawGrpc.CallAsync(server, method, garbage, hostile);
                Assert.True(answer.Status == StatusCode.InvalidArgument, $"{method} answered garbage with {answer.Status}: {answer.Message}");
                Assert.NotNull(answer.Details);
                Assert.Equal("REQUEST_MALFORMED", Assert.Single(answer.Details.Details).Unpack<ErrorInfo>().Reason);
            }
        }

        Assert.Equal(before, await Writes.CountAsync(platform));
        var (from, to) = await AccountsAsync();
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(from, to, 1)).Status);
    }

    [Fact]
    public async Task An_empty_request_to_every_method_of_both_services_is_answered_or_refused_with_a_reason()
    {
        // Every field at its default: no ids, no amounts, no currency. Each method must say what is missing.
        var token = TestTokens.For(Platform.DefaultPrincipal, Scopes.All);
        var before = await Writes.CountAsync(platform);
        foreach (var method in ReachableMethods.Own(platform))
        {
            var answer = await RawGrpc.CallAsync(method.Server, method.Path, [], token);
            if (answer.Status == StatusCode.OK)
            {
                continue;
            }

            Assert.True(answer.Status is not (StatusCode.Internal or StatusCode.Unknown), $"{method.Path} answered an empty request with {answer.Status}: {answer.Message}");
            Assert.True(answer.Details is not null, $"{method.Path} answered {answer.Status} without details: {answer.Message}");
            Assert.Single(answer.Details.Details).Unpack<ErrorInfo>();
        }

        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_resource_exhausted_and_writes_nothing()
    {
        var (from, to) = await AccountsAsync();
        var before = await Writes.CountAsync(platform);
        var error = await Assert.ThrowsAsync<RpcException>(() => platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = new string('x', 5 * 1024 * 1024), DebitAccountId = from, CreditAccountId = to, AmountMinor = 1, Currency = "EUR",
        }, deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", Assert.Single(error.GetRpcStatus()!.Details).Unpack<ErrorInfo>().Reason);
        Assert.Equal(before, await Writes.CountAsync(platform));
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(from, to, 1)).Status);
    }

    [Fact]
    public async Task Extreme_numbers_are_refused_with_their_reasons()
    {
        var (from, to) = await AccountsAsync();
        var before = await Writes.CountAsync(platform);
        foreach (var amount in new[] { 0L, -1L, long.MinValue })
        {
            await Refusals.AssertAsync(StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", () => platform.PayAsync(from, to, amount), $"amount {amount}");
        }

        await Refusals.AssertAsync(StatusCode.InvalidArgument, "TIMEOUT_INVALID", () => platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to, AmountMinor = 1, Currency = "EUR",
            Hold = true, HoldTimeoutMs = long.MaxValue,
        }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.InvalidArgument, "TIMEOUT_INVALID", () => platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to, AmountMinor = 1, Currency = "EUR",
            HoldTimeoutMs = -5,
        }, deadline: platform.Deadline).ResponseAsync, "a timeout on a transfer");
        await Refusals.AssertAsync(StatusCode.InvalidArgument, "PAGE_SIZE_INVALID", () => platform.LedgerClient.ListEntriesAsync(
            new ListEntriesRequest { AccountId = from, PageSize = int.MaxValue }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.InvalidArgument, "PAGE_SIZE_INVALID", () => platform.Payments.ListPaymentsAsync(
            new ListPaymentsRequest { PageSize = -1 }, deadline: platform.Deadline).ResponseAsync);
        await Refusals.AssertAsync(StatusCode.InvalidArgument, "LEDGER_SEQUENCE_INVALID", () => platform.LedgerClient.GetBalanceAsync(
            new GetBalanceRequest { AccountId = from, AsOfLedgerSequence = long.MinValue }, deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task A_balance_that_would_overflow_int64_is_refused_and_no_transfer_is_written()
    {
        var (from, to) = await AccountsAsync();
        Assert.Equal(PaymentStatus.Posted, (await platform.PayAsync(from, to, long.MaxValue)).Status);
        var other = await platform.OpenAccountAsync("overflow-source");
        var transfers = (await Writes.CountAsync(platform)).Transfers;

        // A state-dependent refusal: the intent and its rejection are recorded (ADR 0005), no money moves.
        await Refusals.AssertAsync(StatusCode.OutOfRange, "OVERFLOW", () => platform.PayAsync(other, to, 1));
        Assert.Equal(transfers, (await Writes.CountAsync(platform)).Transfers);
        Assert.Equal(long.MaxValue, await platform.PostedBalanceAsync(to));
    }

    [Fact]
    public async Task Malformed_ids_currencies_and_page_tokens_are_invalid_arguments()
    {
        var (from, to) = await AccountsAsync();
        var before = await Writes.CountAsync(platform);
        foreach (var id in new[] { "", "not-a-uuid", "'; drop table ledger.accounts; --", new string('1', 10_000), "00000000-0000-0000-0000-00000000000g" })
        {
            await Refusals.AssertAsync(StatusCode.InvalidArgument, "ID_INVALID", () => platform.PayAsync(id, to, 1), $"debit id '{id[..Math.Min(id.Length, 40)]}'");
            await Refusals.AssertAsync(StatusCode.InvalidArgument, "ID_INVALID", () => platform.LedgerClient.GetAccountAsync(
                new GetAccountRequest { AccountId = id }, deadline: platform.Deadline).ResponseAsync, "account id");
            await Refusals.AssertAsync(StatusCode.InvalidArgument, "ID_INVALID", () => platform.Payments.GetPaymentAsync(
                new GetPaymentRequest { PaymentId = id }, deadline: platform.Deadline).ResponseAsync, "payment id");
        }

        foreach (var currency in new[] { "", "eur", "EURO", "E1R", "€€€", "EU\u0000", "EUR\n" })
        {
            await Refusals.AssertAsync(StatusCode.InvalidArgument, "CURRENCY_INVALID", () => platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
            {
                RequestId = Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to, AmountMinor = 1, Currency = currency,
            }, deadline: platform.Deadline).ResponseAsync, $"currency '{currency}'");
            await Refusals.AssertAsync(StatusCode.InvalidArgument, "CURRENCY_INVALID", () => platform.LedgerClient.OpenAccountAsync(
                new OpenAccountRequest { RequestId = Guid.NewGuid().ToString(), Owner = "o", Currency = currency }, deadline: platform.Deadline).ResponseAsync);
        }

        await Refusals.AssertAsync(StatusCode.InvalidArgument, "PAGE_TOKEN_INVALID", () => platform.Payments.ListPaymentsAsync(
            new ListPaymentsRequest { PageToken = "forged" }, deadline: platform.Deadline).ResponseAsync);
        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task Fields_the_server_owns_cannot_be_set_by_a_client()
    {
        // No request message has a field for an id, a status or a time the server assigns...
        string[] serverOwned = ["id", "status", "create_time", "ledger_sequence", "principal", "rejection_code"];
        foreach (var method in PaymentService.Descriptor.Methods.Concat(LedgerService.Descriptor.Methods))
        {
            Assert.DoesNotContain(method.InputType.Fields.InDeclarationOrder(), field => serverOwned.Contains(field.Name));
        }

        // ...and one smuggled in as unknown fields (numbers the request does not define) is ignored.
        var (from, to) = await AccountsAsync();
        var requestId = Guid.NewGuid().ToString();
        var request = new CreatePaymentRequest { RequestId = requestId, DebitAccountId = from, CreditAccountId = to, AmountMinor = 3, Currency = "EUR" };
        using var bytes = new MemoryStream();
        var output = new CodedOutputStream(bytes);
        request.WriteTo(output);
        output.WriteTag(1000, WireFormat.WireType.LengthDelimited);
        output.WriteString(Guid.NewGuid().ToString());
        output.WriteTag(1001, WireFormat.WireType.Varint);
        output.WriteInt32(3);
        output.Flush();
        var answer = await RawGrpc.CallAsync(platform.Api.Url, CreatePaymentMethod, bytes.ToArray(), TestTokens.For(Platform.DefaultPrincipal, Scopes.All));
        Assert.Equal(StatusCode.OK, answer.Status);
        var payment = CreatePaymentResponse.Parser.ParseFrom(answer.Body).Payment;
        Assert.Equal(IntentIds.Payment(Platform.DefaultPrincipal, requestId).ToString(), payment.Id);
        Assert.Contains(payment.Status, new[] { PaymentStatus.Accepted, PaymentStatus.Posted });
    }

    private async Task<(string From, string To)> AccountsAsync() =>
        (await platform.OpenAccountAsync("hostile-from"), await platform.OpenAccountAsync("hostile-to"));
}
