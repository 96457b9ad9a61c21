using Payments.Audit;

// The audit job (a CronJob in Kubernetes): run it, keep the reports, alert on a non-zero exit code.
try
{
    return await AuditCommands.Create().Parse(args).InvokeAsync(new() { EnableDefaultExceptionHandler = false });
}
catch (Exception exception) when (exception is FormatException or Npgsql.NpgsqlException or IOException or InvalidDataException or System.Security.Cryptography.CryptographicException)
{
    await Console.Error.WriteLineAsync("error: " + exception.Message);
    return 2;
}
