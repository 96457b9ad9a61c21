using System.CommandLine;
using Payments.ServiceDefaults.Security;

namespace Payments.Cli.Commands;

/// <summary>
/// <c>paymentsctl dev-certs</c>: writes a local development CA and a loopback server certificate
/// (ADR 0031), so the embedded platform runs over TLS without openssl or a machine-wide trust change.
/// </summary>
internal static class DevCertsCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory for ca.crt, server.crt and server.key.", DefaultValueFactory = _ => ".artifacts/dev-certs" };
        var days = new Option<int>("--days") { Description = "Validity in days.", DefaultValueFactory = _ => 30 };
        var command = new Command("dev-certs", "Create a development CA and a server certificate for localhost and 127.0.0.1.") { output, days };
        command.SetAction(parse =>
        {
            var files = DevelopmentCertificates.Write(parse.GetValue(output)!, TimeSpan.FromDays(parse.GetValue(days)));
            Console.WriteLine(files.CaCertificatePath);
            Console.WriteLine(files.ServerCertificatePath);
            Console.WriteLine(files.ServerKeyPath);
            return 0;
        });
        return command;
    }
}
