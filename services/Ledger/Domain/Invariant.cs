using System.Diagnostics.CodeAnalysis;

namespace Payments.Ledger.Domain;

/// <summary>
/// Programmer errors, as opposed to operating errors: a broken invariant means the code is wrong, so it
/// throws in every build and the batch rolls back instead of committing a wrong ledger.
/// </summary>
public static class Invariant
{
    /// <summary>Throws <see cref="InvariantViolationException"/> when <paramref name="condition"/> is false.</summary>
    public static void Assert([DoesNotReturnIf(false)] bool condition, string what)
    {
        if (!condition)
        {
            throw new InvariantViolationException(what);
        }
    }
}

/// <summary>A ledger invariant did not hold.</summary>
public sealed class InvariantViolationException(string what) : Exception("Ledger invariant violated: " + what);
