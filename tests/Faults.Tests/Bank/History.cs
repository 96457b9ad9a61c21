using System.Collections.Concurrent;
using Grpc.Core;
using Payments.Contracts.PaymentsV1;

namespace Payments.Faults.Tests.Bank;

/// <summary>How a client's operation ended, as the client saw it.</summary>
internal enum Ending
{
    /// <summary>The platform answered with the payment: it is durable and must have exactly one outcome.</summary>
    Acked,

    /// <summary>The platform said no with a definite status: it must never post.</summary>
    Refused,

    /// <summary>No answer (deadlines, the API gone): it may have posted once or not at all, never twice.</summary>
    Indeterminate,
}

/// <summary>One client operation and how it ended.</summary>
internal sealed record Operation(int Index, string Kind, Guid PaymentId, Ending Ending, PaymentStatus Status, StatusCode? RefusedWith);

/// <summary>Everything the clients did, for the checker; and the acknowledged payments later operations act on.</summary>
internal sealed class History
{
    private readonly ConcurrentQueue<Operation> operations = new();
    private readonly ConcurrentDictionary<StatusCode, int> retries = new();
    private readonly List<(Guid Id, long Amount)> holds = [];
    private readonly List<(Guid Id, long Amount)> posted = [];

    public IReadOnlyCollection<Operation> Operations => operations;

    public IReadOnlyDictionary<StatusCode, int> Retries => retries;

    public void Record(Operation operation, long amount)
    {
        operations.Enqueue(operation);
        if (operation.Ending != Ending.Acked)
        {
            return;
        }

        lock (holds)
        {
            if (operation.Kind == "hold")
            {
                holds.Add((operation.PaymentId, amount));
            }
            else if (operation.Kind is "transfer" or "deposit" or "payout")
            {
                posted.Add((operation.PaymentId, amount));
            }
        }
    }

    public void CountRetry(StatusCode status) => retries.AddOrUpdate(status, 1, (_, n) => n + 1);

    /// <summary>An acknowledged hold, or none yet.</summary>
    public (Guid Id, long Amount)? AnyHold(Random random) => Any(holds, random);

    /// <summary>An acknowledged transfer, deposit or payout, or none yet.</summary>
    public (Guid Id, long Amount)? AnyPosted(Random random) => Any(posted, random);

    private (Guid Id, long Amount)? Any(List<(Guid Id, long Amount)> items, Random random)
    {
        lock (holds)
        {
            return items.Count == 0 ? null : items[random.Next(items.Count)];
        }
    }
}
