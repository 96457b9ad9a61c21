using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Payments.ServiceDefaults.Security;

/// <summary>
/// A local development CA and a server certificate it signs, for TLS on loopback (ADR 0031). Written as
/// PEM files that Kestrel reads (<c>Kestrel:Certificates:Default:Path</c> and <c>KeyPath</c>) and that
/// clients trust explicitly (<c>paymentsctl --ca-cert</c>); nothing is added to the machine's trust store.
/// </summary>
public static class DevelopmentCertificates
{
    /// <summary>The files written by <see cref="Write"/>.</summary>
    public sealed record Files(string CaCertificatePath, string ServerCertificatePath, string ServerKeyPath);

    /// <summary>Creates a CA valid for <paramref name="validity"/> and a server certificate for localhost and 127.0.0.1.</summary>
    public static Files Write(string directory, TimeSpan validity)
    {
        Directory.CreateDirectory(directory);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore + validity;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Payments Development CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, notBefore, notAfter.AddMinutes(-1), RandomNumberGenerator.GetBytes(16));

        var files = new Files(Path.Combine(directory, "ca.crt"), Path.Combine(directory, "server.crt"), Path.Combine(directory, "server.key"));
        File.WriteAllText(files.CaCertificatePath, ca.ExportCertificatePem());
        File.WriteAllText(files.ServerCertificatePath, server.ExportCertificatePem());
        File.WriteAllText(files.ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(files.ServerKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return files;
    }

    /// <summary>A certificate check that trusts exactly the CA in <paramref name="caCertificatePath"/>.</summary>
    public static Func<object, X509Certificate?, X509Chain?, System.Net.Security.SslPolicyErrors, bool> TrustOnly(string caCertificatePath)
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(caCertificatePath);
        return (_, certificate, _, errors) =>
        {
            // The name must still match; only the chain is judged against the development CA.
            if (certificate is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
