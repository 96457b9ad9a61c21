using Payments.Testing;

namespace Payments.EndToEnd.Tests.Security;

/// <summary>
/// What callers have caused to be written: intents in the log (the clock's own ticks carry no principal
/// and are left out) and rows of the ledger. Two equal snapshots around a refused call prove it wrote nothing.
/// </summary>
internal sealed record Writes(long Intents, long Accounts, long Transfers, long AccountEvents, long Rejections)
{
    public static async Task<Writes> CountAsync(Platform platform)
    {
        var db = platform.Database.Owner;
        return new Writes(
            await db.ScalarAsync<long>("select count(*) from eventlog.events where data ->> 'principal' is not null"),
            await db.ScalarAsync<long>("select count(*) from ledger.accounts"),
            await db.ScalarAsync<long>("select count(*) from ledger.transfers"),
            await db.ScalarAsync<long>("select count(*) from ledger.account_events"),
            await db.ScalarAsync<long>("select count(*) from ledger.rejections"));
    }
}
