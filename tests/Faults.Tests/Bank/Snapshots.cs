using Npgsql;
using Payments.Testing;

namespace Payments.Faults.Tests.Bank;

/// <summary>
/// Reads the ledger every few hundred milliseconds during the run, each read one consistent snapshot:
/// per currency the entries must sum to zero, and no no-overdraft account may show more debits than
/// credits. Reads that meet a restarting database are skipped, not counted.
/// </summary>
internal sealed class Snapshots(Platform platform)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    public int Taken { get; private set; }

    public int Skipped { get; private set; }

    /// <summary>Currencies whose entries did not sum to zero, summed over all snapshots.</summary>
    public long WrongTotals { get; private set; }

    /// <summary>No-overdraft accounts below zero, summed over all snapshots.</summary>
    public long Negative { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await TakeAsync(cancellationToken);
                await Task.Delay(Interval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task TakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = platform.Database.Ledger.CreateCommand("""
                select
                  (select count(*) from (select currency from ledger.entries group by currency
                                         having sum(case direction when 'D' then amount_minor else -amount_minor end) <> 0) c),
                  (select count(*) from ledger.accounts a
                   cross join lateral (select * from ledger.entries e where e.account_id = a.id order by account_seq desc limit 1) e
                   where a.debits_must_not_exceed_credits and e.debits_posted + e.debits_pending > e.credits_posted)
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            WrongTotals += reader.GetInt64(0);
            Negative += reader.GetInt64(1);
            Taken++;
        }
        catch (NpgsqlException)
        {
            Skipped++;
        }
    }
}
