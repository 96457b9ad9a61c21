using Payments.Audit.Checks;
using Payments.Testing;

namespace Payments.Audit.Tests;

/// <summary>
/// An attacker with superuser rights disables the append-only triggers and changes history. Each kind of
/// change fails the audit, and the findings name the sequence where it happened.
/// </summary>
public sealed class TamperingTests
{
    [Fact]
    public async Task A_changed_amount_is_pinpointed()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        await ledger.TamperAsync("""
            update ledger.transfers set amount_minor = amount_minor + 1 where seq = 5;
            update ledger.entries set amount_minor = amount_minor + 1 where ledger_seq = 5;
            """);

        var report = await ledger.AuditAsync();

        Verdicts.AssertFirstFindingAt(report, "hash-chain", "seq 5 ");
        Verdicts.AssertFirstFindingAt(report, "running-balances", "account ");
        Assert.Contains("(seq 5)", report.Check("running-balances").Findings[0].Where, StringComparison.Ordinal);
        Assert.Null(report.Signed);
    }

    [Fact]
    public async Task A_deleted_entry_is_pinpointed()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        await ledger.TamperAsync("delete from ledger.entries where ledger_seq = 9 and direction = 'D'");

        var report = await ledger.AuditAsync();

        Assert.Equal("the debit entry is missing", Verdicts.AssertFirstFindingAt(report, "balanced-entries", "seq 9 ").Problem);
        Verdicts.AssertFirstFindingAt(report, "hash-chain", "seq 9 ");
        Assert.Equal(CheckStatus.Failed, report.Check("currency-sums").Status);
    }

    [Fact]
    public async Task A_backdated_entry_is_pinpointed_though_the_hash_does_not_cover_its_time()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        await ledger.TamperAsync("update ledger.entries set created_at = created_at - interval '1 day' where ledger_seq = 7 and direction = 'C'");

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "balanced-entries");
        var finding = Verdicts.AssertFirstFindingAt(report, "balanced-entries", "seq 7 ");
        Assert.StartsWith("the Credit entry was written at ", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inserted_transfer_that_hashes_correctly_is_caught_as_an_outcome_without_an_intent()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var treasury = await ledger.Database.Ledger.ScalarAsync<Guid>("select id from ledger.accounts where owner = 'treasury'");
        var wallet = await ledger.Database.Ledger.ScalarAsync<Guid>("select id from ledger.accounts where owner = 'w0'");
        var (id, sequence) = await Attacker.InsertWellFormedTransferAsync(ledger.Database, treasury, wallet, 1_000_000);

        var report = await ledger.AuditAsync();

        // Balances, sums and the chain are all consistent: only the missing cause gives it away.
        Verdicts.AssertFailedExactly(report, "outcomes-have-intents");
        Verdicts.AssertFirstFindingAt(report, "outcomes-have-intents", $"seq {sequence} (transfer {id})");
    }

    [Fact]
    public async Task Reordered_rows_are_pinpointed_where_the_order_changes()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        await ledger.TamperAsync("""
            update ledger.transfers set seq = 1000000 where seq = 4;
            update ledger.transfers set seq = 4 where seq = 5;
            update ledger.transfers set seq = 5 where seq = 1000000;
            """);

        var report = await ledger.AuditAsync();

        var chain = report.Check("hash-chain");
        Assert.Equal(CheckStatus.Failed, chain.Status);
        Assert.StartsWith("seq 4 ", chain.Findings[0].Where, StringComparison.Ordinal);
        Assert.Contains(chain.Findings, f => f.Where.StartsWith("seq 5 ", StringComparison.Ordinal));
        // Sequence 6 still links to the hash that used to stand at 5, and no further.
        Assert.All(chain.Findings, f => Assert.Matches("^seq [456] ", f.Where));
        Verdicts.AssertFirstFindingAt(report, "balanced-entries", "seq 4 ");
    }

    [Fact]
    public async Task A_truncated_tail_is_caught_by_the_checkpoint_and_the_intents_left_without_outcome()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var signed = await ledger.AuditAsync();
        var head = signed.HeadSequence;
        await ledger.TamperAsync($"""
            delete from ledger.entries where ledger_seq > {head - 3};
            delete from ledger.transfers where seq > {head - 3};
            """);

        var report = await ledger.AuditAsync();

        // The remaining chain is intact: a truncated tail is invisible to the chain alone.
        Assert.Equal(CheckStatus.Passed, report.Check("hash-chain").Status);
        var finding = Verdicts.AssertFirstFindingAt(report, "signed-checkpoints", $"seq {head} ");
        Assert.Contains($"ends at seq {head - 3}", finding.Problem, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Failed, report.Check("intents-have-outcomes").Status);
    }

    [Fact]
    public async Task A_fully_recomputed_chain_is_caught_only_by_the_signed_checkpoint()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var signed = await ledger.AuditAsync();
        await Attacker.RewriteChainFromAsync(ledger.Database, 3, "mallory");

        var withoutKey = await AuditRunner.RunAsync(ledger.Auditor, new AuditSettings(), null, CancellationToken.None);
        var report = await ledger.AuditAsync();

        Verdicts.AssertPassed(withoutKey);
        Assert.Equal(CheckStatus.Skipped, withoutKey.Check("signed-checkpoints").Status);
        Verdicts.AssertFailedExactly(report, "signed-checkpoints");
        var finding = Verdicts.AssertFirstFindingAt(report, "signed-checkpoints", $"seq {signed.HeadSequence} ");
        Assert.Contains("rewritten", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_checkpoint_is_caught()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var signed = await ledger.AuditAsync();
        await ledger.TamperAsync($"""
            insert into audit.checkpoints (id, ledger, seq, head_hash, key_id, signature, signed_at, run_id)
            select gen_random_uuid(), ledger, seq, sha256('forged'), key_id, signature, now(), run_id
            from audit.checkpoints where id = '{signed.Signed!.Id}';
            """);

        var report = await ledger.AuditAsync();

        Verdicts.AssertFailedExactly(report, "signed-checkpoints");
        Assert.Contains("forged", report.Check("signed-checkpoints").Findings.Single().Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_balance_flag_is_found_at_the_entry_even_when_the_latest_balance_is_fine()
    {
        await using var ledger = await AuditedLedger.WithMixedWorkloadAsync();
        var (account, sequence) = await FirstEntryOfFlaggedAccountWithLaterEntriesAsync(ledger);
        await ledger.TamperAsync($"""
            update ledger.entries set debits_posted = credits_posted + 1 where account_id = '{account}' and account_seq = {sequence};
            """);

        var report = await ledger.AuditAsync();

        Verdicts.AssertFirstFindingAt(report, "balance-flags", $"account {account} #{sequence} ");
        Assert.Equal(CheckStatus.Failed, report.Check("running-balances").Status);
    }

    private static async Task<(Guid Account, long Sequence)> FirstEntryOfFlaggedAccountWithLaterEntriesAsync(AuditedLedger ledger)
    {
        var account = await ledger.Database.Ledger.ScalarAsync<Guid>("""
            select a.id from ledger.accounts a join ledger.entries e on e.account_id = a.id
            where a.debits_must_not_exceed_credits group by a.id having count(*) > 2 order by a.id limit 1
            """);
        return (account, 2);
    }
}
