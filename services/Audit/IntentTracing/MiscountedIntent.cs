namespace Payments.Audit.IntentTracing;

/// <summary>An intent whose id has no outcome, or more than one.</summary>
/// <param name="First">The first consumed event that carries it.</param>
/// <param name="OutcomeKinds">The kinds of the outcome rows recorded under its id, in ordinal order.</param>
internal sealed record MiscountedIntent(LoggedIntent First, IReadOnlyList<string> OutcomeKinds);
