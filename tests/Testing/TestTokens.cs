using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Payments.ServiceDefaults.Security;

namespace Payments.Testing;

/// <summary>
/// The token issuer of the test run: one EC P-256 key per test process, whose public half every service
/// that <see cref="Platform"/> starts is configured with (as a deployment would be, not the development key).
/// </summary>
public static class TestTokens
{
    /// <summary>The issuer the services accept.</summary>
    public const string Issuer = "payments-tests";

    /// <summary>The audience the services accept.</summary>
    public const string Audience = "payments";

    /// <summary>The signing key; tests that forge tokens make their own.</summary>
    public static ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A PEM file with the public key, written once per test process.</summary>
    public static string PublicKeyPath { get; } = WritePublicKey();

    /// <summary>The configuration that makes a service trust this issuer.</summary>
    public static IReadOnlyDictionary<string, string> ServiceEnvironment { get; } = new Dictionary<string, string>
    {
        ["Authentication__PublicKeyPath"] = PublicKeyPath,
        ["Authentication__Issuer"] = Issuer,
        ["Authentication__Audience"] = Audience,
    };

    /// <summary>The claims of a valid token for <paramref name="principal"/> with <paramref name="scopes"/>, valid for an hour.</summary>
    public static TokenMinter.Claims Claims(string principal, IEnumerable<string> scopes) =>
        new(Issuer, Audience, principal, scopes, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    /// <summary>A valid token for <paramref name="principal"/> with <paramref name="scopes"/>.</summary>
    public static string For(string principal, IEnumerable<string> scopes) => TokenMinter.Mint(Key, Claims(principal, scopes));

    /// <summary>A call invoker on <paramref name="url"/> that sends <paramref name="token"/> as bearer (none when null).</summary>
    public static CallInvoker Invoker(Uri url, string? token) => WithToken(GrpcChannel.ForAddress(url), token);

    /// <summary>A call invoker on <paramref name="channel"/> that sends <paramref name="token"/> as bearer (none when null).</summary>
    public static CallInvoker WithToken(ChannelBase channel, string? token) => token is null
        ? channel.CreateCallInvoker()
        : channel.Intercept(headers =>
        {
            headers.Add("authorization", "Bearer " + token);
            return headers;
        });

    private static string WritePublicKey()
    {
        var path = Path.Combine(Path.GetTempPath(), $"payments-test-issuer-{Environment.ProcessId}-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, Key.ExportSubjectPublicKeyInfoPem());
        return path;
    }
}
