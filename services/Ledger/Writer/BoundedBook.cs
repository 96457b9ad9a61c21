namespace Payments.Ledger.Writer;

/// <summary>
/// The single writer's in-memory states by id. Only ever ahead of the database by the uncommitted
/// batches; any failure, and every new assignment of the stream, clears it. Bounded: past
/// <paramref name="capacity"/> entries it starts over and reloads on demand.
/// </summary>
internal abstract class BoundedBook<TState>(Func<TState, Guid> idOf, int capacity) where TState : class
{
    private readonly Dictionary<Guid, TState> states = [];

    protected IEnumerable<TState> States => states.Values;

    /// <summary>The state, or null if the book does not hold it.</summary>
    public TState? Find(Guid id) => states.GetValueOrDefault(id);

    /// <summary>Records a new state.</summary>
    public void Put(TState state) => states[idOf(state)] = state;

    /// <summary>Ids among <paramref name="ids"/> the book does not hold.</summary>
    public List<Guid> Missing(IEnumerable<Guid> ids) => ids.Where(id => !states.ContainsKey(id)).Distinct().ToList();

    /// <summary>True once the book holds as many states as its bound.</summary>
    public bool IsFull => states.Count >= capacity;

    /// <summary>Makes room when the bound is reached; called between batches, with none in flight.</summary>
    public void TrimIfFull()
    {
        if (IsFull)
        {
            states.Clear();
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Clear() => states.Clear();
}
