using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Security;

namespace Payments.ServiceDefaults.Tests;

public sealed class MethodScopesTests
{
    [Fact]
    public void Every_rpc_of_both_services_has_a_scope()
    {
        var methods = PaymentService.Descriptor.Methods.Concat(LedgerService.Descriptor.Methods)
            .Select(m => $"/{m.Service.FullName}/{m.Name}").ToList();
        Assert.Equal(methods.Order(), MethodScopes.Required.Keys.Order());
        Assert.All(MethodScopes.Required.Values, scope => Assert.Contains(scope, Scopes.All));
    }

    [Theory]
    [InlineData("/grpc.health.v1.Health/Check", true)]
    [InlineData("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", true)]
    [InlineData("/payments.v1.PaymentService/CreatePayment", false)]
    [InlineData("/grpc.health.v1.HealthX/Check", false)]
    public void Only_health_and_reflection_are_anonymous(string method, bool anonymous) =>
        Assert.Equal(anonymous, MethodScopes.IsAnonymous(method));

    [Theory]
    [InlineData(ResultCode.Unauthenticated, StatusCode.Unauthenticated)]
    [InlineData(ResultCode.TokenInvalid, StatusCode.Unauthenticated)]
    [InlineData(ResultCode.ScopeMissing, StatusCode.PermissionDenied)]
    [InlineData(ResultCode.NotAccountOwner, StatusCode.PermissionDenied)]
    [InlineData(ResultCode.NotPaymentOwner, StatusCode.PermissionDenied)]
    [InlineData(ResultCode.RateLimited, StatusCode.ResourceExhausted)]
    public void Access_codes_have_their_statuses(ResultCode code, StatusCode status) => Assert.Equal(status, GrpcErrors.StatusOf(code));

    [Fact]
    public async Task A_minted_token_validates_with_the_public_key_and_the_pinned_algorithm()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = TokenMinter.Mint(key, new TokenMinter.Claims("iss", "aud", "alice", [Scopes.PaymentsRead, Scopes.LedgerRead],
            DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = "iss", ValidAudience = "aud", IssuerSigningKey = new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(false))),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        };
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("alice", result.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal("payments:read ledger:read", result.ClaimsIdentity.FindFirst("scope")?.Value);

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = TokenMinter.Sign(other, TokenMinter.Header("ES256"), token.Split('.')[1]);
        Assert.False((await new JsonWebTokenHandler().ValidateTokenAsync(forged, parameters)).IsValid);
    }
}
