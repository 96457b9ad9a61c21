namespace Payments.Operator;

/// <summary>Configuration section <c>Operator</c>.</summary>
public sealed class OperatorOptions
{
    /// <summary>Where the leader-election Lease lives: the operator's own namespace (POD_NAMESPACE in the chart).</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The Lease's name; every replica of one operator installation uses the same.</summary>
    public string LeaseName { get; set; } = "payments-operator";

    /// <summary>This replica's identity in the Lease (the pod name in the chart).</summary>
    public string Identity { get; set; } = Environment.MachineName;

    /// <summary>How long a Lease is valid without renewal, in seconds.</summary>
    public int LeaseDurationSeconds { get; set; } = 15;

    /// <summary>
    /// The API server's address, for running outside a cluster against a given endpoint. Null uses the
    /// in-cluster service account, or the kubeconfig outside a cluster.
    /// </summary>
    public string? KubernetesUrl { get; set; }

    /// <summary>
    /// How often a Ready cluster is reconciled again, in seconds, as controllers resync: the operator
    /// watches LedgerClusters only, so this is how an audit run that failed, or pods that stopped being
    /// available, reach the cluster's status.
    /// </summary>
    public int ResyncSeconds { get; set; } = 60;
}
