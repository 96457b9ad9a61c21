using k8s;
using k8s.Models;
using Payments.Operator.Entities;
using Payments.Operator.Planning;

namespace Payments.Operator.Tests;

/// <summary>
/// The planner's objects, serialized to YAML and parsed back strictly into the typed models (an unknown
/// or misspelt field fails), as the API server's schema validation would.
/// </summary>
public sealed class DesiredStatePlannerTests
{
    [Theory]
    [MemberData(nameof(SampleClusters.Names), MemberType = typeof(SampleClusters))]
    public void EveryPlannedObjectParsesStrictlyAndIsOwnedAndLabelled(string sample)
    {
        var cluster = SampleClusters.ByName(sample);

        var parsed = ParseStrictly(cluster);

        Assert.Equal(
            ["ConfigMap", "Component", "Deployment", "Deployment", "Deployment", "Service", "Service", "PodDisruptionBudget", "CronJob"],
            parsed.Select(o => o.Kind));
        foreach (var item in parsed)
        {
            Assert.Equal(cluster.Metadata.NamespaceProperty, item.Metadata.NamespaceProperty);
            var owner = Assert.Single(item.Metadata.OwnerReferences);
            Assert.Equal(("payments.example.io/v1alpha1", "LedgerCluster", cluster.Metadata.Name, cluster.Metadata.Uid, true, true),
                (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
            Assert.Equal(cluster.Metadata.Name, item.Metadata.Labels["app.kubernetes.io/instance"]);
            Assert.Equal("payments-operator", item.Metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("payments", item.Metadata.Labels["app.kubernetes.io/part-of"]);
            Assert.StartsWith(cluster.Metadata.Name + "-", item.Metadata.Name, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(SampleClusters.Names), MemberType = typeof(SampleClusters))]
    public void DeploymentsCarryDaprAnnotationsReplicasAndAHardenedPod(string sample)
    {
        var cluster = SampleClusters.ByName(sample);
        var deployments = ParseStrictly(cluster).OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);

        var expected = new Dictionary<string, (int Replicas, string Image, string Variable, string Key)>
        {
            [$"{cluster.Metadata.Name}-payments-api"] = (cluster.Spec.Replicas.PaymentsApi, cluster.Spec.Images.PaymentsApi, "ConnectionStrings__Payments", "api"),
            [$"{cluster.Metadata.Name}-ledger"] = (cluster.Spec.Replicas.Ledger, cluster.Spec.Images.Ledger, "ConnectionStrings__Ledger", "ledger"),
            [$"{cluster.Metadata.Name}-settlement"] = (cluster.Spec.Replicas.Settlement, cluster.Spec.Images.Settlement, "ConnectionStrings__Settlement", "settlement"),
        };
        Assert.Equal(expected.Keys.Order(), deployments.Keys.Order());
        foreach (var (name, (replicas, image, variable, key)) in expected)
        {
            var deployment = deployments[name];
            Assert.Equal(replicas, deployment.Spec.Replicas);
            var annotations = deployment.Spec.Template.Metadata.Annotations;
            Assert.Equal("true", annotations["dapr.io/enabled"]);
            Assert.Equal(name, annotations["dapr.io/app-id"]);
            Assert.Equal("8080", annotations["dapr.io/app-port"]);
            Assert.Equal("h2c", annotations["dapr.io/app-protocol"]);
            Assert.False(deployment.Spec.Template.Spec.AutomountServiceAccountToken ?? true, "the pods mount no API token");
            Assert.Equal("true", annotations["dapr.io/disable-builtin-k8s-secret-store"]);
            var selector = deployment.Spec.Selector.MatchLabels;
            Assert.All(selector, label => Assert.Equal(label.Value, deployment.Spec.Template.Metadata.Labels[label.Key]));

            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            Assert.Equal(image, container.Image);
            Assert.Equal(cluster.Spec.Images.PullPolicy, container.ImagePullPolicy);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
            Assert.True(container.SecurityContext.RunAsNonRoot);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            var secret = Assert.Single(container.Env, e => e.Name == variable).ValueFrom.SecretKeyRef;
            Assert.Equal((cluster.Spec.Database.SecretName, key), (secret.Name, secret.Key));
        }
    }

    [Theory]
    [MemberData(nameof(SampleClusters.Names), MemberType = typeof(SampleClusters))]
    public void TheAuditCronJobFollowsTheSpec(string sample)
    {
        var cluster = SampleClusters.ByName(sample);

        var cronJob = Assert.Single(ParseStrictly(cluster).OfType<V1CronJob>());

        Assert.Equal(cluster.Spec.Audit.Schedule, cronJob.Spec.Schedule);
        Assert.Equal(cluster.Spec.Audit.Suspend, cronJob.Spec.Suspend);
        Assert.Equal("Forbid", cronJob.Spec.ConcurrencyPolicy);
        var pod = cronJob.Spec.JobTemplate.Spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.Equal(cluster.Spec.Images.Audit, Assert.Single(pod.Containers).Image);
        Assert.Equal("audit", Assert.Single(pod.Containers[0].Env).ValueFrom.SecretKeyRef.Key);
        Assert.Equal(["--ledger", cluster.Spec.LedgerName], pod.Containers[0].Args);
    }

    [Fact]
    public void TheAuditJobReadsItsCheckpointKeyFromAMountedSecret()
    {
        var cluster = SampleClusters.Minimal();
        cluster.Spec.Audit.SigningKeySecret = new SecretKeyReference { Name = "audit-signing", Key = "private.pem" };

        var pod = Assert.Single(ParseStrictly(cluster).OfType<V1CronJob>()).Spec.JobTemplate.Spec.Template.Spec;

        var keyFile = Assert.Single(pod.Containers[0].Env, e => e.Name == "AUDIT_KEY_FILE").Value;
        var volume = Assert.Single(pod.Volumes, v => v.Secret is not null);
        Assert.Equal("audit-signing", volume.Secret.SecretName);
        Assert.Equal("private.pem", Assert.Single(volume.Secret.Items).Key);
        var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == volume.Name);
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal(mount.MountPath + "/" + volume.Secret.Items[0].Path, keyFile);
    }

    [Fact]
    public void WithAnAnchorClaimTheAuditJobKeepsItsAnchorFileOnThatVolume()
    {
        var cluster = SampleClusters.Minimal();
        cluster.Spec.Audit.SigningKeySecret = new SecretKeyReference { Name = "audit-signing", Key = "private.pem" };
        cluster.Spec.Audit.AnchorClaim = "audit-anchor";

        var pod = Assert.Single(ParseStrictly(cluster).OfType<V1CronJob>()).Spec.JobTemplate.Spec.Template.Spec;

        var anchorFile = Assert.Single(pod.Containers[0].Env, e => e.Name == "AUDIT_ANCHOR_FILE").Value;
        var volume = Assert.Single(pod.Volumes, v => v.PersistentVolumeClaim is not null);
        Assert.Equal("audit-anchor", volume.PersistentVolumeClaim.ClaimName);
        var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == volume.Name);
        Assert.NotEqual(true, mount.ReadOnlyProperty);
        Assert.Equal($"{mount.MountPath}/anchor.json", anchorFile);
        Assert.DoesNotContain(Assert.Single(ParseStrictly(SampleClusters.Minimal()).OfType<V1CronJob>()).Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env,
            e => e.Name == "AUDIT_ANCHOR_FILE");
    }

    [Fact]
    public void AConfigurationChangeRollsTheDeploymentsAndAnUnrelatedOneDoesNot()
    {
        static Dictionary<string, string> Digests(V1Alpha1LedgerCluster cluster) => ParseStrictly(cluster).OfType<V1Deployment>()
            .ToDictionary(d => d.Metadata.Name, d => d.Spec.Template.Metadata.Annotations[ConfigDigest.Annotation]);
        var before = Digests(SampleClusters.Minimal());

        // The services read these only when they start: without a new pod template they keep the old values.
        var account = SampleClusters.Minimal();
        account.Spec.Settlement.Accounts.Add(new SettlementAccountSpec { Currency = "CHF", AccountId = Guid.NewGuid().ToString() });
        var issuer = SampleClusters.Minimal();
        issuer.Spec.Authentication.Issuer = "https://login.example.org/next";
        var brokers = SampleClusters.Minimal();
        brokers.Spec.Kafka.Brokers = ["kafka-9:9092"];
        var schedule = SampleClusters.Minimal();
        schedule.Spec.Audit.Schedule = "15 * * * *";

        Assert.All(new[] { account, issuer, brokers }, changed => Assert.All(Digests(changed), pair => Assert.NotEqual(before[pair.Key], pair.Value)));
        Assert.Equal(before, Digests(schedule));
    }

    [Fact]
    public void TheDaprComponentIsKafkaWithBrokersGroupAuthAndOffset()
    {
        var cluster = SampleClusters.WithSaslAndSuspendedAudit();

        var component = Assert.Single(ParseStrictly(cluster).OfType<V1Alpha1DaprComponent>());

        Assert.Equal("pubsub.kafka", component.Spec.Type);
        Assert.Equal("eu-pubsub", component.Metadata.Name);
        var metadata = component.Spec.Metadata.ToDictionary(m => m.Name);
        Assert.Equal("kafka-0:9093,kafka-1:9093,kafka-2:9093", metadata["brokers"].Value);
        Assert.Equal("payments-eu", metadata["consumerGroup"].Value);
        Assert.Equal("password", metadata["authType"].Value);
        Assert.Equal("newest", metadata["initialOffset"].Value);
        Assert.Equal("payments", metadata["saslUsername"].Value);
        Assert.Equal(("kafka-credentials", "password"), (metadata["saslPassword"].SecretKeyRef!.Name, metadata["saslPassword"].SecretKeyRef!.Key));
        Assert.Null(metadata["saslPassword"].Value);
        Assert.False(metadata.ContainsKey("saslMechanism"), "unset, it stays Dapr's default, as it was before it could be set");
        Assert.Equal(["eu-payments-api", "eu-ledger", "eu-settlement"], component.Scopes);
        Assert.Equal("kubernetes", component.Auth!.SecretStore);
    }

    [Fact]
    public void MtlsAndOidcPutTheirCredentialsInTheComponentAsSecretReferences()
    {
        var ca = new SecretKeyReference { Name = "kafka-ca", Key = "ca.crt" };
        var mtls = SampleClusters.Minimal();
        mtls.Spec.Kafka.AuthType = "mtls";
        mtls.Spec.Kafka.Tls = new KafkaTlsSpec
        {
            CaCertSecret = ca,
            ClientCertSecret = new SecretKeyReference { Name = "kafka-client", Key = "tls.crt" },
            ClientKeySecret = new SecretKeyReference { Name = "kafka-client", Key = "tls.key" },
        };
        var oidc = SampleClusters.Minimal();
        oidc.Spec.Kafka.AuthType = "oidc";
        oidc.Spec.Kafka.Oidc = new KafkaOidcSpec
        {
            TokenEndpoint = "https://login.example.com/token", ClientId = "payments",
            ClientSecretSecret = new SecretKeyReference { Name = "kafka-oidc", Key = "secret" }, Scopes = ["kafka", "openid"],
        };

        var mtlsComponent = Assert.Single(ParseStrictly(mtls).OfType<V1Alpha1DaprComponent>());
        var oidcComponent = Assert.Single(ParseStrictly(oidc).OfType<V1Alpha1DaprComponent>());

        var certificates = mtlsComponent.Spec.Metadata.ToDictionary(m => m.Name);
        Assert.Equal(("kafka-ca", "ca.crt"), (certificates["caCert"].SecretKeyRef!.Name, certificates["caCert"].SecretKeyRef!.Key));
        Assert.Equal(("kafka-client", "tls.crt"), (certificates["clientCert"].SecretKeyRef!.Name, certificates["clientCert"].SecretKeyRef!.Key));
        Assert.Equal(("kafka-client", "tls.key"), (certificates["clientKey"].SecretKeyRef!.Name, certificates["clientKey"].SecretKeyRef!.Key));
        Assert.False(certificates.ContainsKey("saslUsername"));
        Assert.NotNull(mtlsComponent.Auth);
        var client = oidcComponent.Spec.Metadata.ToDictionary(m => m.Name);
        Assert.Equal("https://login.example.com/token", client["oidcTokenEndpoint"].Value);
        Assert.Equal("payments", client["oidcClientID"].Value);
        Assert.Equal("kafka-oidc", client["oidcClientSecret"].SecretKeyRef!.Name);
        Assert.Equal("kafka,openid", client["oidcScopes"].Value);
        Assert.NotNull(oidcComponent.Auth);
    }

    [Theory]
    [InlineData("password", "authType password needs saslUsername and saslPasswordSecret")]
    [InlineData("mtls", "authType mtls needs tls.caCertSecret, tls.clientCertSecret and tls.clientKeySecret")]
    [InlineData("oidc", "authType oidc needs oidc")]
    public void AnAuthTypeWithoutWhatItNeedsIsAProblem(string authType, string problem)
    {
        var kafka = new KafkaSpec { Brokers = ["kafka:9092"], AuthType = authType };

        Assert.Equal([problem], kafka.Problems());
        Assert.Empty(SampleClusters.WithSaslAndSuspendedAudit().Spec.Kafka.Problems());
        Assert.Empty(new KafkaSpec { Brokers = ["kafka:9092"] }.Problems());
    }

    [Fact]
    public void CertificatesWithoutAnAuthTypeAreAProblem()
    {
        // Dapr's component connects without TLS for authType none: the CA would protect nothing.
        var kafka = new KafkaSpec { Brokers = ["kafka:9092"], Tls = new KafkaTlsSpec { CaCertSecret = new SecretKeyReference { Name = "ca", Key = "ca.crt" } } };

        Assert.Equal(["authType none connects without TLS: tls needs authType password, mtls or oidc"], kafka.Problems());
    }

    [Fact]
    public void WithoutAuthTheComponentConsumesPerAppFromTheOldestOffset()
    {
        var component = Assert.Single(ParseStrictly(SampleClusters.Minimal()).OfType<V1Alpha1DaprComponent>());

        var metadata = component.Spec.Metadata.ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal("{namespace}", metadata["consumerGroup"]);
        Assert.Equal("none", metadata["authType"]);
        Assert.Equal("oldest", metadata["initialOffset"]);
        Assert.False(metadata.ContainsKey("saslPassword"));
        Assert.Null(component.Auth);
    }

    [Fact]
    public void TheConfigMapPointsTheServicesAtDaprAndTheLedger()
    {
        var cluster = SampleClusters.WithSaslAndSuspendedAudit();

        var data = Assert.Single(ParseStrictly(cluster).OfType<V1ConfigMap>()).Data;

        Assert.Equal("dapr", data["EventBus__Transport"]);
        Assert.Equal("eu-pubsub", data["EventBus__Dapr__PubSubName"]);
        Assert.Equal("eur-book", data["Ledger__Name"]);
        Assert.Equal("eur-book", data["Payments__Ledger"]);
        Assert.Equal("eur-book", data["Settlement__Ledger"]);
        Assert.DoesNotContain(data.Keys, key => key.StartsWith("Settlement__Accounts__", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SampleClusters.Names), MemberType = typeof(SampleClusters))]
    public void EveryServiceTrustsTheSpecsTokenIssuerThroughAMountedJwks(string sample)
    {
        var cluster = SampleClusters.ByName(sample);
        var objects = ParseStrictly(cluster);

        var data = Assert.Single(objects.OfType<V1ConfigMap>()).Data;
        Assert.Equal(cluster.Spec.Authentication.Issuer, data["Authentication__Issuer"]);
        Assert.Equal("payments", data["Authentication__Audience"]);
        foreach (var deployment in objects.OfType<V1Deployment>())
        {
            var pod = deployment.Spec.Template.Spec;
            var volume = Assert.Single(pod.Volumes, v => v.Secret is not null);
            Assert.Equal(cluster.Spec.Authentication.JwksSecret.Name, volume.Secret.SecretName);
            Assert.Equal(cluster.Spec.Authentication.JwksSecret.Key, Assert.Single(volume.Secret.Items).Key);
            var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == volume.Name);
            Assert.True(mount.ReadOnlyProperty);
            Assert.Equal(data["Authentication__JwksPath"], mount.MountPath + "/" + volume.Secret.Items[0].Path);
        }
    }

    [Fact]
    public void TheConfigMapNamesEachCurrencysSettlementAccount()
    {
        var cluster = SampleClusters.Minimal();
        var eur = Guid.NewGuid().ToString();
        cluster.Spec.Settlement.Accounts.Add(new SettlementAccountSpec { Currency = "EUR", AccountId = eur });

        var data = Assert.Single(ParseStrictly(cluster).OfType<V1ConfigMap>()).Data;

        Assert.Equal(eur, data["Settlement__Accounts__EUR"]);
    }

    [Fact]
    public void EveryDaprPodWithoutAnApiTokenHasDaprsBuiltInKubernetesSecretStoreOff()
    {
        // daprd starts that store by default and it needs the token the pod does not mount; Jobs included,
        // so a Dapr annotation added to one later cannot forget it.
        var clusters = ((IEnumerable<object[]>)SampleClusters.Names).Select(row => SampleClusters.ByName((string)row[0]))
            .Append(SampleClusters.WithOperatorMigrations());
        var templates = clusters.SelectMany(cluster => ParseStrictly(cluster)).SelectMany(PodTemplatesOf).ToList();

        var daprWithoutToken = templates.Where(t => t.Metadata.Annotations?.Contains(new("dapr.io/enabled", "true")) == true
            && t.Spec.AutomountServiceAccountToken == false).ToList();

        Assert.NotEmpty(daprWithoutToken);
        Assert.All(daprWithoutToken, t => Assert.Equal("true", t.Metadata.Annotations["dapr.io/disable-builtin-k8s-secret-store"]));
    }

    [Fact]
    public void TheLedgerKeepsOnePodThroughDisruptions()
    {
        var budget = Assert.Single(ParseStrictly(SampleClusters.Minimal()).OfType<V1PodDisruptionBudget>());

        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.Equal("ledger", budget.Spec.Selector.MatchLabels["app.kubernetes.io/name"]);
    }

    [Fact]
    public void AMisspeltFieldFailsTheStrictParse()
    {
        var yaml = KubernetesYaml.Serialize(DesiredStatePlanner.Plan(SampleClusters.Minimal())[0]).Replace("data:", "dta:", StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(yaml, PlannedObjects.TypeMap, strict: true));
    }

    private static List<IKubernetesObject<V1ObjectMeta>> ParseStrictly(V1Alpha1LedgerCluster cluster) => PlannedObjects.ParseStrictly(cluster);

    private static IEnumerable<V1PodTemplateSpec> PodTemplatesOf(IKubernetesObject<V1ObjectMeta> item) => item switch
    {
        V1Deployment deployment => [deployment.Spec.Template],
        V1Job job => [job.Spec.Template],
        V1CronJob cronJob => [cronJob.Spec.JobTemplate.Spec.Template],
        _ => [],
    };
}
