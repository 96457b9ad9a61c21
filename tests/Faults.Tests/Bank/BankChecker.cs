using Payments.EventBus;
using Payments.Ledger.Writer;
using Payments.Testing;

namespace Payments.Faults.Tests.Bank;

/// <summary>What the checker found after the run, once the platform was quiet.</summary>
internal sealed record BankReport(
    int Operations, int Acked, int Refused, int Indeterminate, int IndeterminatePosted, long Transfers,
    int Lost, int Duplicated, int RefusedButPosted, int RailMismatches, long Stuck)
{
    public bool Clean => Lost == 0 && Duplicated == 0 && RefusedButPosted == 0 && RailMismatches == 0 && Stuck == 0;
}

/// <summary>
/// The bank checker, after Jepsen's bank workload: every acknowledged operation has exactly one
/// outcome, every refused one posted nothing, every indeterminate one at most once; every transfer in
/// the ledger is explained by an operation (or by the expiry or settlement of one); the rail charged
/// exactly the payouts the ledger posted; and nothing is left reserved.
/// </summary>
internal static class BankChecker
{
    public static async Task<BankReport> CheckAsync(Platform platform, History history)
    {
        var operations = history.Operations.ToList();
        var outcomes = await OutcomesAsync(platform, operations.Select(o => o.PaymentId).ToArray());
        int Count(Ending ending, Func<(long Transfers, long Rejections), bool> test) =>
            operations.Count(o => o.Ending == ending && test(outcomes[o.PaymentId]));

        // System-made transfers carry ids derived from the operation they resolve.
        var explained = operations.SelectMany(o => new[] { o.PaymentId, IntentIds.Event(o.PaymentId, "expiry"), SettlementIntent.IdFor(o.PaymentId) })
            .ToHashSet();
        var transferIds = await platform.Database.Ledger.ScalarAsync<Guid[]>("select coalesce(array_agg(id), '{}') from ledger.transfers");

        return new BankReport(
            Operations: operations.Count,
            Acked: operations.Count(o => o.Ending == Ending.Acked),
            Refused: operations.Count(o => o.Ending == Ending.Refused),
            Indeterminate: operations.Count(o => o.Ending == Ending.Indeterminate),
            IndeterminatePosted: Count(Ending.Indeterminate, o => o.Transfers == 1),
            Transfers: transferIds.Length,
            Lost: Count(Ending.Acked, o => o.Transfers + o.Rejections == 0),
            Duplicated: transferIds.Count(id => !explained.Contains(id)) + outcomes.Values.Count(o => o.Transfers + o.Rejections > 1),
            RefusedButPosted: Count(Ending.Refused, o => o.Transfers > 0),
            RailMismatches: await RailMismatchesAsync(platform),
            Stuck: await platform.Database.Ledger.ScalarAsync<long>("""
                select count(*) from ledger.transfers t
                where t.kind = 'PENDING' and not exists (select 1 from ledger.transfers r where r.pending_id = t.id)
                """));
    }

    private static async Task<Dictionary<Guid, (long Transfers, long Rejections)>> OutcomesAsync(Platform platform, Guid[] ids)
    {
        await using var command = platform.Database.Ledger.CreateCommand("""
            select x.id, (select count(*) from ledger.transfers t where t.id = x.id), (select count(*) from ledger.rejections r where r.intent_id = x.id)
            from unnest($1::uuid[]) x(id)
            """);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = ids });
        var outcomes = new Dictionary<Guid, (long, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            outcomes[reader.GetGuid(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        return outcomes;
    }

    // Money that left through the rail must be exactly the payouts the ledger posted, each once.
    private static async Task<int> RailMismatchesAsync(Platform platform)
    {
        var charged = await platform.Database.Settlement.ScalarAsync<string[]>(
            "select coalesce(array_agg(payment_reference), '{}') from sandbox_rail.payouts where paid");
        var posted = await platform.Database.Ledger.ScalarAsync<string[]>("""
            select coalesce(array_agg(t.pending_id::text), '{}') from ledger.transfers t
            join ledger.payouts p on p.transfer_id = t.pending_id where t.kind = 'POST_PENDING'
            """);
        var doubleCharged = charged.Length - charged.Distinct().Count();
        return doubleCharged + charged.ToHashSet().SymmetricExcept(posted).Count();
    }
}

internal static class SetExtensions
{
    public static HashSet<T> SymmetricExcept<T>(this HashSet<T> set, IEnumerable<T> other)
    {
        var copy = new HashSet<T>(set);
        copy.SymmetricExceptWith(other);
        return copy;
    }
}
