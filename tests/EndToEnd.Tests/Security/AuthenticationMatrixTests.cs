using System.Security.Cryptography;
using Grpc.Core;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// Every RPC of both services against every kind of bad credential: no token, expired, wrong issuer,
/// wrong audience, alg=none, a signature by another key, and a valid token without the method's scope.
/// Each is refused with its precise status and reason, and nothing is written.
/// </summary>
public sealed class AuthenticationMatrixTests(Platform platform) : IClassFixture<Platform>
{
    private sealed record Rpc(string Name, string Scope, Func<PaymentService.PaymentServiceClient, LedgerService.LedgerServiceClient, Task> Call);

    private sealed record Credential(string Name, Func<string, string?> Token, StatusCode Status, string Reason);

    [Fact]
    public async Task Every_rpc_refuses_every_bad_credential_and_writes_nothing()
    {
        var rpcs = await RpcsAsync();
        Assert.Equal(MethodScopes.Required.Count, rpcs.Count);
        var before = await Writes.CountAsync(platform);

        foreach (var credential in Credentials())
        {
            foreach (var rpc in rpcs)
            {
                var token = credential.Token(rpc.Scope);
                await Refusals.AssertAsync(credential.Status, credential.Reason,
                    () => rpc.Call(platform.PaymentsWithToken(token), platform.LedgerWithToken(token)), $"{rpc.Name} with {credential.Name}");
            }
        }

        Assert.Equal(before, await Writes.CountAsync(platform));
    }

    [Fact]
    public async Task Every_rpc_accepts_a_valid_token_with_exactly_its_scope()
    {
        // The positive control of the matrix: the same calls succeed or fail for reasons other than access.
        foreach (var rpc in await RpcsAsync())
        {
            var token = TestTokens.For(Platform.DefaultPrincipal, [rpc.Scope]);
            try
            {
                await rpc.Call(platform.PaymentsWithToken(token), platform.LedgerWithToken(token));
            }
            catch (RpcException error)
            {
                Assert.DoesNotContain(error.StatusCode, new[] { StatusCode.Unauthenticated, StatusCode.PermissionDenied });
            }
        }
    }

    private static IEnumerable<Credential> Credentials()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var strangerPem = stranger.ExportPkcs8PrivateKeyPem();
        TokenMinter.Claims Valid(string scope) => TestTokens.Claims(Platform.DefaultPrincipal, [scope]);
        string Other(TokenMinter.Claims claims)
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(strangerPem);
            return TokenMinter.Mint(key, claims);
        }

        return
        [
            new("no token", _ => null, StatusCode.Unauthenticated, "UNAUTHENTICATED"),
            new("an expired token", scope => TokenMinter.Mint(TestTokens.Key,
                Valid(scope) with { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), Lifetime = TimeSpan.FromHours(1) }),
                StatusCode.Unauthenticated, "TOKEN_INVALID"),
            new("a wrong issuer", scope => TokenMinter.Mint(TestTokens.Key, Valid(scope) with { Issuer = "someone-else" }),
                StatusCode.Unauthenticated, "TOKEN_INVALID"),
            new("a wrong audience", scope => TokenMinter.Mint(TestTokens.Key, Valid(scope) with { Audience = "another-api" }),
                StatusCode.Unauthenticated, "TOKEN_INVALID"),
            new("alg=none", scope => TokenMinter.Header("none") + "." + TokenMinter.Payload(Valid(scope)) + ".",
                StatusCode.Unauthenticated, "TOKEN_INVALID"),
            new("a signature by another key", scope => Other(Valid(scope)), StatusCode.Unauthenticated, "TOKEN_INVALID"),
            new("HS256 keyed with the public key", scope => HmacWithPublicKey(Valid(scope)), StatusCode.Unauthenticated, "TOKEN_INVALID"),
            new("garbage", _ => "not.a.jwt", StatusCode.Unauthenticated, "TOKEN_INVALID"),
            new("every scope but the one needed", scope => TestTokens.For(Platform.DefaultPrincipal, Scopes.All.Where(s => s != scope)),
                StatusCode.PermissionDenied, "SCOPE_MISSING"),
        ];
    }

    // The classic algorithm confusion: a verifier that let the token choose would check this HMAC with the public key.
    private static string HmacWithPublicKey(TokenMinter.Claims claims)
    {
        var signingInput = TokenMinter.Header("HS256") + "." + TokenMinter.Payload(claims);
        var secret = System.Text.Encoding.ASCII.GetBytes(TestTokens.Key.ExportSubjectPublicKeyInfoPem());
        return signingInput + "." + TokenMinter.Encode(HMACSHA256.HashData(secret, System.Text.Encoding.ASCII.GetBytes(signingInput)));
    }

    // Real ids and well-formed requests, so that a call that got through would really write or read.
    private async Task<List<Rpc>> RpcsAsync()
    {
        // Owned by the default principal, so that a call with exactly its scope passes the ownership checks too.
        var from = await platform.OpenAccountAsync(Platform.DefaultPrincipal);
        var to = await platform.OpenAccountAsync(Platform.DefaultPrincipal);
        var paid = await platform.PayAsync(from, to, 100);
        var hold = (await platform.Payments.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = Guid.NewGuid().ToString(), DebitAccountId = from, CreditAccountId = to, AmountMinor = 10, Currency = "EUR",
            Hold = true, HoldTimeoutMs = 600_000, WaitForOutcome = true,
        }, deadline: platform.Deadline)).Payment;
        var deadline = platform.Deadline;
        string Id() => Guid.NewGuid().ToString();
        var pay = new CreatePaymentRequest { RequestId = Id(), DebitAccountId = from, CreditAccountId = to, AmountMinor = 5, Currency = "EUR" };
        return
        [
            new("CreatePayment", Scopes.PaymentsWrite, async (p, _) => await p.CreatePaymentAsync(pay, deadline: deadline)),
            new("CreatePayments", Scopes.PaymentsWrite, async (p, _) => await p.CreatePaymentsAsync(new CreatePaymentsRequest { Requests = { pay } }, deadline: deadline)),
            new("GetPayment", Scopes.PaymentsRead, async (p, _) => await p.GetPaymentAsync(new GetPaymentRequest { PaymentId = paid.Id }, deadline: deadline)),
            new("ListPayments", Scopes.PaymentsRead, async (p, _) => await p.ListPaymentsAsync(new ListPaymentsRequest(), deadline: deadline)),
            new("CapturePayment", Scopes.PaymentsWrite, async (p, _) => await p.CapturePaymentAsync(
                new CapturePaymentRequest { RequestId = Id(), PaymentId = hold.Id, AmountMinor = 1 }, deadline: deadline)),
            new("VoidPayment", Scopes.PaymentsWrite, async (p, _) => await p.VoidPaymentAsync(
                new VoidPaymentRequest { RequestId = Id(), PaymentId = hold.Id }, deadline: deadline)),
            new("ReversePayment", Scopes.PaymentsWrite, async (p, _) => await p.ReversePaymentAsync(
                new ReversePaymentRequest { RequestId = Id(), PaymentId = paid.Id, AmountMinor = 1 }, deadline: deadline)),
            new("WatchPayment", Scopes.PaymentsRead, async (p, _) =>
            {
                using var call = p.WatchPayment(new WatchPaymentRequest { PaymentId = paid.Id }, deadline: deadline);
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }),
            new("OpenAccount", Scopes.AccountsAdmin, async (_, l) => await l.OpenAccountAsync(
                new OpenAccountRequest { RequestId = Id(), Owner = "intruder", Currency = "EUR" }, deadline: deadline)),
            new("GetAccount", Scopes.LedgerRead, async (_, l) => await l.GetAccountAsync(new GetAccountRequest { AccountId = from }, deadline: deadline)),
            new("FreezeAccount", Scopes.AccountsAdmin, async (_, l) => await l.FreezeAccountAsync(
                new FreezeAccountRequest { RequestId = Id(), AccountId = to }, deadline: deadline)),
            new("UnfreezeAccount", Scopes.AccountsAdmin, async (_, l) => await l.UnfreezeAccountAsync(
                new UnfreezeAccountRequest { RequestId = Id(), AccountId = to }, deadline: deadline)),
            new("CloseAccount", Scopes.AccountsAdmin, async (_, l) => await l.CloseAccountAsync(
                new CloseAccountRequest { RequestId = Id(), AccountId = to }, deadline: deadline)),
            new("GetBalance", Scopes.LedgerRead, async (_, l) => await l.GetBalanceAsync(new GetBalanceRequest { AccountId = from }, deadline: deadline)),
            new("ListEntries", Scopes.LedgerRead, async (_, l) => await l.ListEntriesAsync(new ListEntriesRequest { AccountId = from }, deadline: deadline)),
            new("GetTransfer", Scopes.LedgerRead, async (_, l) => await l.GetTransferAsync(new GetTransferRequest { TransferId = paid.Id }, deadline: deadline)),
            new("ListAuditRuns", Scopes.AuditRead, async (_, l) => await l.ListAuditRunsAsync(new ListAuditRunsRequest(), deadline: deadline)),
        ];
    }
}
