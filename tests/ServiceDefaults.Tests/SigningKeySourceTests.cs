using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Payments.ServiceDefaults.Security;

namespace Payments.ServiceDefaults.Tests;

/// <summary>An issuer rotates its keys in the file the services read; they follow without a restart.</summary>
public sealed class SigningKeySourceTests : IDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private readonly string directory = Directory.CreateTempSubdirectory("payments-keys-").FullName;
    private readonly MovableClock clock = new(DateTimeOffset.UtcNow);
    private readonly ECDsa old = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa next = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private string JwksPath => Path.Combine(directory, "jwks.json");

    [Fact]
    public async Task A_key_published_in_the_file_is_accepted_once_the_file_is_looked_at_again()
    {
        WriteJwks(old);
        var source = Source();
        var token = Token(next);
        Assert.False(await ValidAsync(source, token));

        WriteJwks(old, next);
        clock.Now += Refresh / 2;
        Assert.False(await ValidAsync(source, token), "the file is looked at no more than once per refresh interval");
        clock.Now += Refresh;

        Assert.True(await ValidAsync(source, token));
        Assert.True(await ValidAsync(source, Token(old)), "during a rotation both keys are accepted");
        Assert.Equal(2, source.Generation);
    }

    [Fact]
    public async Task A_key_dropped_from_the_file_stops_its_remembered_tokens_too()
    {
        WriteJwks(old, next);
        var source = Source();
        var cache = new VerifiedTokenCache(new JsonWebTokenHandler(), capacity: 10, clock, () => source.Generation);
        var token = Token(old);
        Assert.True((await cache.ValidateTokenAsync(token, Parameters(source))).IsValid);

        WriteJwks(next);
        clock.Now += Refresh;

        Assert.False((await cache.ValidateTokenAsync(token, Parameters(source))).IsValid, "a token of a dropped key was answered from the cache");
        Assert.True((await cache.ValidateTokenAsync(Token(next), Parameters(source))).IsValid);
    }

    [Theory]
    [InlineData("{ \"keys\": [")]
    [InlineData("{ \"keys\": [] }")]
    public async Task A_file_that_cannot_be_used_leaves_the_keys_as_they_were(string broken)
    {
        WriteJwks(old);
        var source = Source();

        File.WriteAllText(JwksPath, broken);
        clock.Now += Refresh;

        Assert.True(await ValidAsync(source, Token(old)));
        Assert.Equal(1, source.Generation);
    }

    [Fact]
    public void A_file_that_cannot_be_used_at_start_fails_the_start()
    {
        File.WriteAllText(JwksPath, "{ \"keys\": [] }");

        Assert.Throws<InvalidOperationException>(() => Source());
    }

    [Fact]
    public async Task A_service_whose_key_file_cannot_be_used_does_not_start()
    {
        File.WriteAllText(JwksPath, "{ \"keys\": [] }");
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Configuration["urls"] = "http://127.0.0.1:0";
        builder.Configuration["Authentication:JwksPath"] = JwksPath;
        builder.AddPaymentsAuthentication();
        await using var app = builder.Build();

        await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
    }

    [Fact]
    public void A_token_that_names_its_key_is_checked_against_that_key_alone()
    {
        WriteJwks(("a", old), ("b", next));
        var source = Source();

        Assert.Equal(["b"], source.For("b").Select(k => k.KeyId));
        Assert.Equal(["a", "b"], source.For("c").Select(k => k.KeyId));
        Assert.Equal(["a", "b"], source.For(null).Select(k => k.KeyId));
    }

    public void Dispose()
    {
        old.Dispose();
        next.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private SigningKeySource Source() => new(
        new TokenSettings { Issuer = "issuer", JwksPath = JwksPath, KeyRefreshSeconds = (int)Refresh.TotalSeconds },
        clock, NullLogger<SigningKeySource>.Instance);

    private static TokenValidationParameters Parameters(SigningKeySource source) => new()
    {
        ValidIssuer = "issuer",
        ValidAudience = "payments",
        IssuerSigningKeyResolver = (_, _, kid, _) => source.For(kid),
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        RequireExpirationTime = true,
    };

    private static async Task<bool> ValidAsync(SigningKeySource source, string token) =>
        (await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(source))).IsValid;

    private string Token(ECDsa key) =>
        TokenMinter.Mint(key, new TokenMinter.Claims("issuer", "payments", "alice", ["payments:read"], clock.Now.AddMinutes(-1), TimeSpan.FromHours(1)));

    private void WriteJwks(params ECDsa[] keys) => WriteJwks([.. keys.Select((key, i) => ($"key-{i}", key))]);

    private void WriteJwks(params (string Id, ECDsa Key)[] keys) => File.WriteAllText(JwksPath, "{ \"keys\": [" + string.Join(",", keys.Select(key =>
    {
        var point = key.Key.ExportParameters(includePrivateParameters: false).Q;
        return $$"""{ "kty": "EC", "crv": "P-256", "use": "sig", "kid": "{{key.Id}}", "x": "{{Base64UrlEncoder.Encode(point.X)}}", "y": "{{Base64UrlEncoder.Encode(point.Y)}}" }""";
    })) + "] }");
}
