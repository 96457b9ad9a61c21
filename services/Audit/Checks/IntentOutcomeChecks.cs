using Npgsql;
using Payments.Audit.IntentTracing;
using Payments.Contracts;

namespace Payments.Audit.Checks;

/// <summary>
/// Two checks answered by one pass over the log:
/// <list type="bullet">
/// <item>every intent the writer has consumed has exactly one outcome (a transfer, an account, a status change,
/// a rejection or a clock tick's record under its id); intents past the writer's offset are still in flight
/// and only counted;</item>
/// <item>every outcome row traces back to its cause: the causing event is in the log, on this ledger's
/// partition, and carries the outcome's own id, or is a clock tick and the row an expiry release. A transfer
/// inserted by hand, even one hashed into the chain correctly, fails here.</item>
/// </list>
/// The writer's offset and the rows are read in one snapshot, since the writer commits them together. The
/// server pairs intents with outcomes on the event id and sends back only what does not match at a glance
/// (<see cref="IntentSql.Unmatched"/>); <see cref="IntentMatcher"/> decides the rest.
/// </summary>
internal static class IntentOutcomeChecks
{
    private const string IntentsName = "intents-have-outcomes";
    private const string IntentsTitle = "Every intent in the event log has exactly one outcome in the ledger.";
    private const string OutcomesName = "outcomes-have-intents";
    private const string OutcomesTitle = "Every ledger transfer, account, status change, rejection and clock tick record traces back to its event.";

    /// <summary>Both verdicts: intents with their outcomes, and outcomes with their intents.</summary>
    public static async Task<(CheckResult IntentsHaveOutcomes, CheckResult OutcomesHaveIntents)> RunAsync(
        NpgsqlDataSource dataSource, string ledger, DateTimeOffset deliveredBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var settings = new NpgsqlCommand(IntentSql.SessionSettings, connection))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        var consumed = await WriterProgress.ConsumedOffsetAsync(connection, ledger, deliveredBefore, cancellationToken);
        var received = await IntentReads.UnmatchedAsync(connection, ledger, cancellationToken);
        var matcher = new IntentMatcher(consumed);
        var suspects = matcher.Suspects(received, await IntentReads.SharedOutcomeIdsAsync(connection, ledger, cancellationToken));
        var outcomesOfSuspects = await IntentReads.OutcomesWithIdsAsync(connection, ledger, suspects, cancellationToken);
        var inFlight = await IntentReads.InFlightAsync(connection, ledger, consumed, cancellationToken);

        var intents = new Findings(IntentsName, IntentsTitle);
        foreach (var intent in matcher.Miscounted(suspects, received, outcomesOfSuspects))
        {
            intents.Add($"intent {intent.First.IntentId} (log offset {intent.First.Seq}, {intent.First.Type})", Problem(intent.OutcomeKinds));
        }

        var outcomes = new Findings(OutcomesName, OutcomesTitle);
        foreach (var pair in IntentMatcher.Untraced(received))
        {
            outcomes.Add(Where(pair.Outcome!), Problem(pair));
        }

        return (intents.ToResult($"Intents up to log offset {consumed} (the writer's) checked; {inFlight:N0} later ones are still in flight."),
            outcomes.ToResult("Transfers, accounts, status changes, rejections and clock tick records traced to their causing events."));
    }

    private static string Problem(IReadOnlyList<string> outcomeKinds) => outcomeKinds.Count switch
    {
        0 => "has no outcome in the ledger",
        2 => $"has 2 outcomes: {outcomeKinds[0]}, {outcomeKinds[1]}",
        var n => $"has {n} outcomes, from {outcomeKinds[0]} to {outcomeKinds[^1]}",
    };

    private static string Where(RecordedOutcome outcome) =>
        outcome.Seq is { } seq ? $"seq {seq} ({outcome.Kind} {outcome.Id})" : $"{outcome.Kind} {outcome.Id}";

    private static string Problem(IntentOutcomePair pair) => pair.Intent is not { } intent
        ? $"its causing event {pair.Outcome!.EventId} is not an intent of this ledger in the log"
        : $"its causing event (log offset {intent.Seq}) carries intent {intent.IntentId}, not this one" +
            (intent.ReleasesExpiredHolds ? ", and it is not an expiry release" : "");
}
