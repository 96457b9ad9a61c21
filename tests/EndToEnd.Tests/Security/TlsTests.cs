using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// The Payment API over TLS with a development CA: a client that trusts the CA is served, a client that
/// does not is refused, plaintext reaches nothing, and with Security:RequireTls a plaintext address
/// stops the service from starting at all.
/// </summary>
public sealed class TlsTests(Platform platform) : IClassFixture<Platform>, IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "payments-tls-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_client_trusting_the_development_ca_is_served_and_plaintext_is_refused()
    {
        var files = DevelopmentCertificates.Write(directory, TimeSpan.FromHours(1));
        platform.Environment["ASPNETCORE_URLS"] = "https://127.0.0.1:0";
        platform.Environment["Kestrel__Certificates__Default__Path"] = files.ServerCertificatePath;
        platform.Environment["Kestrel__Certificates__Default__KeyPath"] = files.ServerKeyPath;
        platform.Environment["Security__RequireTls"] = "true";
        await platform.RestartApiAsync();
        Assert.Equal("https", platform.Api.Url.Scheme);

        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = new(DevelopmentCertificates.TrustOnly(files.CaCertificatePath));
        using var trusted = GrpcChannel.ForAddress(platform.Api.Url, new GrpcChannelOptions { HttpHandler = handler });
        var health = await new Health.HealthClient(trusted).CheckAsync(new HealthCheckRequest(), deadline: platform.Deadline);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        var listed = await new PaymentService.PaymentServiceClient(TestTokens.WithToken(trusted, TestTokens.For(Platform.DefaultPrincipal, Scopes.All)))
            .ListPaymentsAsync(new ListPaymentsRequest(), deadline: platform.Deadline);
        Assert.NotNull(listed);

        // The system store does not know the development CA.
        using var untrusting = GrpcChannel.ForAddress(platform.Api.Url);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(untrusting)
            .CheckAsync(new HealthCheckRequest(), deadline: platform.Deadline).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        Assert.Contains("SSL", refused.Status.Detail, StringComparison.Ordinal);

        // The same port spoken to in plaintext HTTP/2 gets no gRPC answer.
        using var plaintext = GrpcChannel.ForAddress(new UriBuilder(platform.Api.Url) { Scheme = "http" }.Uri);
        var cleartext = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(plaintext)
            .CheckAsync(new HealthCheckRequest(), deadline: platform.Deadline).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, cleartext.StatusCode);
    }

    [Fact]
    public async Task A_service_that_requires_tls_refuses_to_start_on_a_plaintext_address()
    {
        platform.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        platform.Environment["Security__RequireTls"] = "true";
        var error = await Assert.ThrowsAsync<InvalidOperationException>(platform.RestartApiAsync);
        Assert.Contains("RequireTls", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        platform.Environment.Remove("ASPNETCORE_URLS");
        platform.Environment.Remove("Security__RequireTls");
        platform.Environment.Remove("Kestrel__Certificates__Default__Path");
        platform.Environment.Remove("Kestrel__Certificates__Default__KeyPath");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
