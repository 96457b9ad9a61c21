using Npgsql;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>The auditor role reads the ledger and the log and writes only its own, append-only records.</summary>
public sealed class AuditorRoleTests
{
    [Theory]
    [InlineData("insert into ledger.rejections (intent_id, event_id, intent_type, ledger, code, principal, intent, rejected_at) values (gen_random_uuid(), gen_random_uuid(), 't', 'main', 'X', 'p', '{}', now())")]
    [InlineData("insert into eventlog.events (topic, seq, id, type, source, subject, partition_key, time, data) values ('payments', 999, gen_random_uuid(), 't', 's', 's', 'main', now(), '{}')")]
    [InlineData("update eventlog.consumer_offsets set \"offset\" = 0")]
    [InlineData("update audit.runs set result = 'PASSED'")]
    [InlineData("delete from audit.checkpoints")]
    public async Task The_auditor_cannot_change_the_ledger_the_log_or_past_audits(string sql)
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync(transfers: 5);
        await ledger.AuditAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ledger.Auditor.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }
}
