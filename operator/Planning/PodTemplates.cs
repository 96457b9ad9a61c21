using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Planning;

/// <summary>How every pod of the platform runs: non-root, read-only root filesystem, no privileges.</summary>
internal static class PodTemplates
{
    // The "app" user of the .NET base images; the Dockerfiles run as it too.
    private const long AppUserId = 1654;

    /// <summary>A container of <paramref name="image"/> with the shared configuration and <paramref name="env"/>.</summary>
    public static V1Container Container(V1Alpha1LedgerCluster cluster, string name, string image, IList<V1EnvVar> env) => new()
    {
        Name = name,
        Image = image,
        ImagePullPolicy = cluster.Spec.Images.PullPolicy,
        Env = env,
        EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = ClusterNames.Config(cluster) } }],
        SecurityContext = new V1SecurityContext
        {
            RunAsNonRoot = true,
            ReadOnlyRootFilesystem = true,
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
        // The runtime writes temporary files (diagnostics, certificates) under /tmp only.
        VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("512Mi") },
        },
    };

    /// <summary>A pod spec around <paramref name="container"/>.</summary>
    public static V1PodSpec Pod(V1Container container, string restartPolicy = "Always") => new()
    {
        Containers = [container],
        RestartPolicy = restartPolicy,
        AutomountServiceAccountToken = false,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = AppUserId,
            RunAsGroup = AppUserId,
            FsGroup = AppUserId,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } }],
    };

    /// <summary>A Job spec around <paramref name="pod"/> of <paramref name="component"/>: retried <paramref name="backoffLimit"/> times, for at most an hour.</summary>
    public static V1JobSpec RunToCompletion(V1Alpha1LedgerCluster cluster, string component, V1PodSpec pod, int backoffLimit) => new()
    {
        BackoffLimit = backoffLimit,
        ActiveDeadlineSeconds = 3600,
        Template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = StandardLabels.For(cluster, component) },
            Spec = pod,
        },
    };

    /// <summary>
    /// Mounts one key of a Secret read-only as <paramref name="file"/> in <paramref name="directory"/> and
    /// returns the file's path; files, unlike environment variables, can hold keys without leaking them
    /// into process listings.
    /// </summary>
    public static string MountSecretFile(V1PodSpec pod, V1Container container, string volume, SecretKeyReference secret, string directory, string file)
    {
        container.VolumeMounts.Add(new V1VolumeMount { Name = volume, MountPath = directory, ReadOnlyProperty = true });
        pod.Volumes.Add(new V1Volume
        {
            Name = volume,
            Secret = new V1SecretVolumeSource { SecretName = secret.Name, Items = [new V1KeyToPath { Key = secret.Key, Path = file }], DefaultMode = 256 },
        });
        return $"{directory}/{file}";
    }

    /// <summary>An environment variable read from the database Secret.</summary>
    public static V1EnvVar FromDatabaseSecret(V1Alpha1LedgerCluster cluster, string variable, string key) => new()
    {
        Name = variable,
        ValueFrom = new V1EnvVarSource
        {
            SecretKeyRef = new V1SecretKeySelector { Name = cluster.Spec.Database.SecretName, Key = key },
        },
    };
}
