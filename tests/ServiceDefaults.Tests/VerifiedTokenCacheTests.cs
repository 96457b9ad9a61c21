using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Payments.ServiceDefaults.Security;

namespace Payments.ServiceDefaults.Tests;

public sealed class VerifiedTokenCacheTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly CountingHandler inner = new();
    private readonly MovableClock clock = new(Now);
    private readonly TokenValidationParameters parameters;

    public VerifiedTokenCacheTests()
    {
        parameters = new TokenValidationParameters
        {
            ValidIssuer = "issuer",
            ValidAudience = "payments",
            IssuerSigningKey = new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(includePrivateParameters: false))),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireExpirationTime = true,
        };
    }

    [Fact]
    public async Task A_repeated_token_is_checked_once_and_each_caller_gets_an_identity_of_its_own()
    {
        var cache = new VerifiedTokenCache(inner, capacity: 10, clock);
        var token = Token("alice", TimeSpan.FromHours(1));

        var first = await cache.ValidateTokenAsync(token, parameters);
        var second = await cache.ValidateTokenAsync(token, parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, inner.Validations);
        Assert.Equal("alice", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        second.ClaimsIdentity.AddClaim(new Claim("added", "by a caller"));
        Assert.Null((await cache.ValidateTokenAsync(token, parameters)).ClaimsIdentity.FindFirst("added"));
    }

    [Fact]
    public async Task A_token_is_checked_again_once_its_expiry_has_passed()
    {
        var cache = new VerifiedTokenCache(inner, capacity: 10, clock);
        var token = Token("alice", TimeSpan.FromMinutes(10));
        await cache.ValidateTokenAsync(token, parameters);

        clock.Now = Now.AddMinutes(10);
        await cache.ValidateTokenAsync(token, parameters);

        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public async Task A_refused_token_is_never_remembered()
    {
        var cache = new VerifiedTokenCache(inner, capacity: 10, clock);
        var forged = Token("alice", TimeSpan.FromHours(1))[..^4] + "AAAA";

        Assert.False((await cache.ValidateTokenAsync(forged, parameters)).IsValid);
        Assert.False((await cache.ValidateTokenAsync(forged, parameters)).IsValid);
        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public async Task A_token_that_differs_in_any_byte_is_checked_on_its_own()
    {
        var cache = new VerifiedTokenCache(inner, capacity: 10, clock);
        var token = Token("alice", TimeSpan.FromHours(1));
        await cache.ValidateTokenAsync(token, parameters);

        Assert.False((await cache.ValidateTokenAsync(token + "x", parameters)).IsValid);
        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_capacity_and_starts_over_when_full()
    {
        var cache = new VerifiedTokenCache(inner, capacity: 3, clock);
        var tokens = Enumerable.Range(0, 4).Select(i => Token($"user-{i}", TimeSpan.FromHours(1))).ToList();
        foreach (var token in tokens)
        {
            await cache.ValidateTokenAsync(token, parameters);
        }

        await cache.ValidateTokenAsync(tokens[3], parameters);
        Assert.Equal(4, inner.Validations);
        await cache.ValidateTokenAsync(tokens[0], parameters);
        Assert.Equal(5, inner.Validations);
    }

    [Fact]
    public async Task Capacity_zero_checks_every_call()
    {
        var cache = new VerifiedTokenCache(inner, capacity: 0, clock);
        var token = Token("alice", TimeSpan.FromHours(1));

        await cache.ValidateTokenAsync(token, parameters);
        await cache.ValidateTokenAsync(token, parameters);

        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public void The_services_validate_bearer_tokens_through_the_cache()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.AddPaymentsAuthentication();
        using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        var cache = Assert.IsType<VerifiedTokenCache>(Assert.Single(options.TokenHandlers));
        Assert.False(Assert.IsType<JsonWebTokenHandler>(cache.Inner).MapInboundClaims);
    }

    public void Dispose() => key.Dispose();

    private string Token(string subject, TimeSpan lifetime) =>
        TokenMinter.Mint(key, new TokenMinter.Claims("issuer", "payments", subject, ["payments:write"], Now.AddMinutes(-1), lifetime + TimeSpan.FromMinutes(1)));

    private sealed class CountingHandler : JsonWebTokenHandler
    {
        private int validations;

        public CountingHandler() => MapInboundClaims = false;

        public int Validations => validations;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref validations);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }
}
