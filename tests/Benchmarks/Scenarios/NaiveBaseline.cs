using System.Diagnostics;
using Npgsql;
using Payments.Benchmarks.Measurement;
using Payments.Testing;

namespace Payments.Benchmarks.Scenarios;

/// <summary>
/// The naive ledger on the same server: one transfer per SQL transaction, rows locked with SELECT ... FOR
/// UPDATE, balances updated in place. What a first attempt at a PostgreSQL ledger looks like.
/// </summary>
internal static class NaiveBaseline
{
    private const int Workers = 8;

    public static async Task<Result> RunAsync(TestDatabase database, Settings settings)
    {
        await database.Owner.ExecuteAsync($"""
            create schema bench;
            create table bench.accounts (id int primary key, debits bigint not null, credits bigint not null);
            create table bench.transfers (id bigserial primary key, debit int not null, credit int not null, amount bigint not null,
                                          created_at timestamptz not null default now());
            create table bench.entries (transfer_id bigint not null, account_id int not null, amount bigint not null,
                                        debits_after bigint not null, credits_after bigint not null);
            insert into bench.accounts select g, 0, 0 from generate_series(1, {Settings.Accounts}) g;
            """);

        var latencies = new Latencies();
        var deadline = DateTime.UtcNow.AddSeconds(settings.NaiveSeconds);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            await using var connection = await database.Owner.OpenConnectionAsync();
            while (DateTime.UtcNow < deadline)
            {
                var (a, b) = (random.Next(1, Settings.Accounts + 1), random.Next(1, Settings.Accounts + 1));
                if (a == b)
                {
                    continue;
                }

                var started = Stopwatch.GetTimestamp();
                await TransferAsync(connection, a, b, random.Next(1, 1000));
                latencies.Add(Stopwatch.GetElapsedTime(started));
            }
        })));

        return new Result("baseline: naive (1 transfer/tx, row locks)", latencies.Count / clock.Elapsed.TotalSeconds,
            latencies.Percentile(0.5), latencies.Percentile(0.99), latencies.Percentile(0.999), Memory.PeakMegabytesOfThisProcess(), $"{Workers} connections");
    }

    private static async Task TransferAsync(NpgsqlConnection connection, int debit, int credit, long amount)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"""
            select id from bench.accounts where id in ({debit}, {credit}) order by id for update;
            with t as (insert into bench.transfers (debit, credit, amount) values ({debit}, {credit}, {amount}) returning id),
                 d as (update bench.accounts set debits = debits + {amount} where id = {debit} returning debits, credits),
                 c as (update bench.accounts set credits = credits + {amount} where id = {credit} returning debits, credits)
            insert into bench.entries
            select t.id, {debit}, {amount}, d.debits, d.credits from t, d
            union all select t.id, {credit}, {amount}, c.debits, c.credits from t, c;
            """, connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}
