using Payments.Ledger.Storage;
using Payments.Testing;

namespace Payments.Ledger.Tests.Storage;

/// <summary>The audit schema is the audit job's to create; a ledger whose audit never ran has no runs, not an error.</summary>
public sealed class AuditRunReaderTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Before_the_audit_schema_exists_no_run_has_been_recorded()
    {
        var runs = await new AuditRunReader(database.Ledger).ListAsync("main", after: null, limit: 10, CancellationToken.None);

        Assert.Empty(runs);
    }
}
