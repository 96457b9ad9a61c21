using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>A row the audit cannot even read ends the run with an error: it never yields a short scan that passes.</summary>
public sealed class UnreadableRowTests
{
    [Fact]
    public async Task A_transfer_of_an_unknown_kind_fails_the_run()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync(transfers: 5000);
        await ledger.TamperAsync("""
            alter table ledger.transfers drop constraint transfers_kind_check;
            update ledger.transfers set kind = 'BOGUS' where seq = 4000;
            """);

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => ledger.AuditAsync());

        Assert.Contains("BOGUS", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ledger.Auditor.ScalarAsync<long>("select count(*) from audit.runs"));
    }
}
