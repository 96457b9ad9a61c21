using Payments.Ledger.Domain;

namespace Payments.Ledger.Writer;

/// <summary>
/// The single writer's in-memory view of account states. It is only ever ahead of the database within
/// an uncommitted batch; any failure, and every new assignment of the stream, clears it.
/// </summary>
internal sealed class AccountBook
{
    // Bounded: past this many accounts the book starts over and reloads on demand.
    private const int AccountsCachedMax = 1_000_000;

    private readonly Dictionary<Guid, AccountState> accounts = [];

    /// <summary>The account's state, or null if it is unknown to the book.</summary>
    public AccountState? Find(Guid id) => accounts.GetValueOrDefault(id);

    /// <summary>Records an account's new state.</summary>
    public void Put(AccountState state) => accounts[state.Account.Id] = state;

    /// <summary>Ids among <paramref name="ids"/> the book does not hold.</summary>
    public List<Guid> Missing(IEnumerable<Guid> ids) => ids.Where(id => !accounts.ContainsKey(id)).Distinct().ToList();

    /// <summary>Makes room when the bound is reached; called between batches.</summary>
    public void TrimIfFull()
    {
        if (accounts.Count >= AccountsCachedMax)
        {
            accounts.Clear();
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Clear() => accounts.Clear();
}
