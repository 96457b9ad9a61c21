namespace Payments.Audit.Scan;

/// <summary>
/// COPY takes no parameters, so the ledger name goes into the statement as a literal. PostgreSQL's
/// standard-conforming strings make doubling the quote the whole of the escaping.
/// </summary>
internal static class SqlLiteral
{
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
