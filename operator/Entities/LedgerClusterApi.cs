namespace Payments.Operator.Entities;

/// <summary>
/// Where the LedgerCluster resource lives in the Kubernetes API. The group is a placeholder domain
/// (ADR 0022); an organisation that adopts the operator replaces it with one it owns.
/// </summary>
public static class LedgerClusterApi
{
    public const string Group = "payments.example.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "LedgerCluster";
    public const string Plural = "ledgerclusters";
    public const string Singular = "ledgercluster";
    public const string ShortName = "lc";

    /// <summary>The finalizer the operator puts on every LedgerCluster it manages.</summary>
    public const string Finalizer = Group + "/finalizer";
}
