using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Payments.Operator.Entities;

/// <summary>What the platform owner asks for. Every description becomes the CRD's documentation.</summary>
[Description("The desired state of a payments platform for one ledger.")]
public sealed class LedgerClusterSpec
{
    [JsonPropertyName("ledgerName")]
    [Description("The ledger the services write and serve (a currency book). Defaults to main.")]
    public string LedgerName { get; set; } = "main";

    [JsonPropertyName("images")]
    [Required]
    [Description("Container images of the services, each a full reference with tag or digest.")]
    public ImagesSpec Images { get; set; } = new();

    [JsonPropertyName("replicas")]
    [Description("How many pods of each service run.")]
    public ReplicasSpec Replicas { get; set; } = new();

    [JsonPropertyName("database")]
    [Required]
    [Description("The PostgreSQL database of this ledger, reached through connection strings in a Secret.")]
    public DatabaseSpec Database { get; set; } = new();

    [JsonPropertyName("kafka")]
    [Required]
    [Description("The Kafka cluster behind the Dapr pub/sub component.")]
    public KafkaSpec Kafka { get; set; } = new();

    [JsonPropertyName("audit")]
    [Description("The reconciliation and audit job.")]
    public AuditSpec Audit { get; set; } = new();

    [JsonPropertyName("settlement")]
    [Description("How Settlement pays out through the payment rail.")]
    public SettlementSpec Settlement { get; set; } = new();

    [JsonPropertyName("authentication")]
    [Required]
    [Description("Who issues the bearer tokens the services accept (ADR 0030).")]
    public AuthenticationSpec Authentication { get; set; } = new();
}

/// <summary>The token issuer every service trusts; without it each pod would trust only a key of its own.</summary>
public sealed class AuthenticationSpec
{
    [JsonPropertyName("issuer")]
    [Required]
    [Description("The only accepted token issuer (the iss claim).")]
    public string Issuer { get; set; } = string.Empty;

    [JsonPropertyName("audience")]
    [Description("The only accepted audience (the aud claim). Defaults to payments.")]
    public string Audience { get; set; } = "payments";

    [JsonPropertyName("jwksSecret")]
    [Required]
    [Description("Secret key holding the issuer's public keys as a JWKS document (RFC 7517), mounted read-only into every service.")]
    public SecretKeyReference JwksSecret { get; set; } = new();
}

/// <summary>Settlement's accounts: a payout must credit its currency's settlement account, or it is compensated.</summary>
public sealed class SettlementSpec
{
    [JsonPropertyName("accounts")]
    [Description("The settlement account of each currency payouts are made in. Payouts in other currencies are compensated without calling the rail.")]
    public List<SettlementAccountSpec> Accounts { get; set; } = [];
}

/// <summary>The settlement account of one currency.</summary>
public sealed class SettlementAccountSpec
{
    [JsonPropertyName("currency")]
    [Required]
    [RegularExpression("^[A-Z]{3}$")]
    [Description("ISO 4217 currency code, e.g. EUR.")]
    public string Currency { get; set; } = string.Empty;

    [JsonPropertyName("accountId")]
    [Required]
    [RegularExpression("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    [Description("The ledger account (UUID) payouts in this currency are credited to.")]
    public string AccountId { get; set; } = string.Empty;
}

/// <summary>Container images of the services.</summary>
public sealed class ImagesSpec
{
    [JsonPropertyName("paymentsApi")]
    [Required]
    [Description("Image of the Payment API (gRPC PaymentService).")]
    public string PaymentsApi { get; set; } = string.Empty;

    [JsonPropertyName("ledger")]
    [Required]
    [Description("Image of the Ledger service (the single writer and the LedgerService queries).")]
    public string Ledger { get; set; } = string.Empty;

    [JsonPropertyName("settlement")]
    [Required]
    [Description("Image of the Settlement service (talks to the payment rails).")]
    public string Settlement { get; set; } = string.Empty;

    [JsonPropertyName("audit")]
    [Required]
    [Description("Image of the audit job.")]
    public string Audit { get; set; } = string.Empty;

    [JsonPropertyName("pullPolicy")]
    [Description("Image pull policy of every container: Always, IfNotPresent or Never. Defaults to IfNotPresent.")]
    [AllowedValues("Always", "IfNotPresent", "Never")]
    public string PullPolicy { get; set; } = "IfNotPresent";
}

/// <summary>Pod counts per service.</summary>
public sealed class ReplicasSpec
{
    [JsonPropertyName("paymentsApi")]
    [Range(1, 100)]
    [Description("Payment API pods; the API is stateless. Defaults to 2.")]
    public int PaymentsApi { get; set; } = 2;

    [JsonPropertyName("ledger")]
    [Range(2, 5)]
    [Description("Ledger pods: one writer and standbys; the database's advisory lock decides which writes. At least 2. Defaults to 2.")]
    public int Ledger { get; set; } = 2;

    [JsonPropertyName("settlement")]
    [Range(1, 100)]
    [Description("Settlement pods. Defaults to 1.")]
    public int Settlement { get; set; } = 1;
}

/// <summary>The database connection strings, one per least-privileged role.</summary>
public sealed class DatabaseSpec
{
    [JsonPropertyName("secretName")]
    [Required]
    [Description("Name of a Secret in the LedgerCluster's namespace that holds one connection string per role.")]
    public string SecretName { get; set; } = string.Empty;

    [JsonPropertyName("apiKey")]
    [Description("Key of the Payment API role's connection string in the Secret. Defaults to api.")]
    public string ApiKey { get; set; } = "api";

    [JsonPropertyName("ledgerKey")]
    [Description("Key of the ledger writer role's connection string in the Secret. Defaults to ledger.")]
    public string LedgerKey { get; set; } = "ledger";

    [JsonPropertyName("settlementKey")]
    [Description("Key of the Settlement role's connection string in the Secret. Defaults to settlement.")]
    public string SettlementKey { get; set; } = "settlement";

    [JsonPropertyName("auditKey")]
    [Description("Key of the auditor role's connection string in the Secret. Defaults to audit.")]
    public string AuditKey { get; set; } = "audit";

    [JsonPropertyName("ownerSecret")]
    [Description("Secret key holding the schema owner (migrator) role's connection string, best in a Secret of its own: only the migration Job reads it. When set, the operator migrates the schema in a Job for each new set of images (each new pod template of that Job) and rolls the services out only after it succeeded. Without it, migrations are a manual step.")]
    public SecretKeyReference? OwnerSecret { get; set; }
}

/// <summary>The Kafka cluster and how to authenticate to it.</summary>
[CelRule(PasswordRule, PasswordMessage)]
[CelRule(MtlsRule, MtlsMessage)]
[CelRule(OidcRule, OidcMessage)]
[CelRule(PlaintextRule, PlaintextMessage)]
public sealed class KafkaSpec
{
    private const string PasswordRule = "self.authType != 'password' || (has(self.saslUsername) && size(self.saslUsername) > 0 && has(self.saslPasswordSecret))";
    private const string PasswordMessage = "authType password needs saslUsername and saslPasswordSecret";
    private const string MtlsRule = "self.authType != 'mtls' || (has(self.tls) && has(self.tls.caCertSecret) && has(self.tls.clientCertSecret) && has(self.tls.clientKeySecret))";
    private const string MtlsMessage = "authType mtls needs tls.caCertSecret, tls.clientCertSecret and tls.clientKeySecret";
    private const string OidcRule = "self.authType != 'oidc' || has(self.oidc)";
    private const string OidcMessage = "authType oidc needs oidc";

    // Dapr's Kafka component turns TLS off for authType none, so certificates there would protect nothing.
    private const string PlaintextRule = "self.authType != 'none' || !has(self.tls)";
    private const string PlaintextMessage = "authType none connects without TLS: tls needs authType password, mtls or oidc";

    [JsonPropertyName("brokers")]
    [Required]
    [MinLength(1)]
    [Description("Bootstrap brokers as host:port.")]
    public List<string> Brokers { get; set; } = [];

    [JsonPropertyName("consumerGroup")]
    [Description("Consumer group of the sidecars. Defaults to {appID}, which Dapr expands per service, so the replicas of a service share one group.")]
    public string? ConsumerGroup { get; set; }

    [JsonPropertyName("authType")]
    [AllowedValues("none", "password", "mtls", "oidc")]
    [Description("How the sidecars authenticate to Kafka: none (no TLS either), password (SASL, with saslUsername and saslPasswordSecret), mtls (with tls.caCertSecret, tls.clientCertSecret and tls.clientKeySecret) or oidc (with oidc). Defaults to none.")]
    public string AuthType { get; set; } = "none";

    [JsonPropertyName("saslUsername")]
    [Description("SASL user name, for authType password.")]
    public string? SaslUsername { get; set; }

    [JsonPropertyName("saslPasswordSecret")]
    [Description("Secret key holding the SASL password, for authType password.")]
    public SecretKeyReference? SaslPasswordSecret { get; set; }

    [JsonPropertyName("saslMechanism")]
    [AllowedValues("SHA-512", "SHA-256", "PLAINTEXT")]
    [Description("SASL mechanism, for authType password: SHA-512 or SHA-256 (SCRAM: the password never crosses the wire; use it where the brokers offer it) or PLAINTEXT (SASL/PLAIN). Defaults to Dapr's, PLAINTEXT.")]
    public string? SaslMechanism { get; set; }

    [JsonPropertyName("tls")]
    [Description("Certificates for the TLS connection to the brokers: the CA that signed theirs and, for authType mtls, the sidecars' own.")]
    public KafkaTlsSpec? Tls { get; set; }

    [JsonPropertyName("oidc")]
    [Description("The OAuth 2 client the sidecars get tokens with, for authType oidc (SASL OAUTHBEARER).")]
    public KafkaOidcSpec? Oidc { get; set; }

    [JsonPropertyName("initialOffset")]
    [AllowedValues("oldest", "newest")]
    [Description("Where a new consumer group starts: oldest (nothing is missed) or newest. Defaults to oldest.")]
    public string InitialOffset { get; set; } = "oldest";

    /// <summary>
    /// What the CEL rules above refuse, checked by the operator as well: an API server that evaluates no
    /// CEL (or a spec stored before the rules) must not turn into a sidecar that cannot reach Kafka.
    /// </summary>
    public IEnumerable<string> Problems()
    {
        if (AuthType == "password" && (string.IsNullOrEmpty(SaslUsername) || SaslPasswordSecret is null))
        {
            yield return PasswordMessage;
        }

        if (AuthType == "mtls" && (Tls?.CaCertSecret is null || Tls.ClientCertSecret is null || Tls.ClientKeySecret is null))
        {
            yield return MtlsMessage;
        }

        if (AuthType == "oidc" && Oidc is null)
        {
            yield return OidcMessage;
        }

        if (AuthType == "none" && Tls is not null)
        {
            yield return PlaintextMessage;
        }

        if (Tls is { } tls && (tls.ClientCertSecret is null) != (tls.ClientKeySecret is null))
        {
            yield return KafkaTlsSpec.PairMessage;
        }
    }
}

/// <summary>TLS certificates for Kafka, each a PEM document in a Secret.</summary>
[CelRule(PairRule, PairMessage)]
public sealed class KafkaTlsSpec
{
    /// <summary>What the API server answers for a client certificate without its key, or the reverse.</summary>
    public const string PairMessage = "tls.clientCertSecret and tls.clientKeySecret go together";
    private const string PairRule = "has(self.clientCertSecret) == has(self.clientKeySecret)";

    [JsonPropertyName("caCertSecret")]
    [Description("Secret key holding the CA certificate (PEM) the brokers' certificates are checked against; required for authType mtls. Without it, the sidecars trust the system's CAs.")]
    public SecretKeyReference? CaCertSecret { get; set; }

    [JsonPropertyName("clientCertSecret")]
    [Description("Secret key holding the sidecars' client certificate (PEM), for authType mtls.")]
    public SecretKeyReference? ClientCertSecret { get; set; }

    [JsonPropertyName("clientKeySecret")]
    [Description("Secret key holding the private key (PEM) of the client certificate, for authType mtls.")]
    public SecretKeyReference? ClientKeySecret { get; set; }
}

/// <summary>An OAuth 2 client-credentials grant for Kafka's SASL OAUTHBEARER.</summary>
public sealed class KafkaOidcSpec
{
    [JsonPropertyName("tokenEndpoint")]
    [Required]
    [RegularExpression("^https://.+")]
    [Description("The authorization server's token endpoint, an https URL.")]
    public string TokenEndpoint { get; set; } = string.Empty;

    [JsonPropertyName("clientId")]
    [Required]
    [MinLength(1)]
    [Description("The OAuth 2 client id of the sidecars.")]
    public string ClientId { get; set; } = string.Empty;

    [JsonPropertyName("clientSecretSecret")]
    [Required]
    [Description("Secret key holding the OAuth 2 client secret.")]
    public SecretKeyReference ClientSecretSecret { get; set; } = new();

    [JsonPropertyName("scopes")]
    [Description("Scopes to ask for. Defaults to openid.")]
    public List<string> Scopes { get; set; } = ["openid"];
}

/// <summary>One key of one Secret.</summary>
public sealed class SecretKeyReference
{
    [JsonPropertyName("name")]
    [Required]
    [MinLength(1)]
    [Description("The Secret's name, in the LedgerCluster's namespace.")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("key")]
    [Required]
    [MinLength(1)]
    [Description("The key within the Secret.")]
    public string Key { get; set; } = string.Empty;
}

/// <summary>When the audit job runs.</summary>
[CelRule("!has(self.anchorClaim) || has(self.signingKeySecret)", "audit.anchorClaim needs audit.signingKeySecret: only a signing run writes the anchor")]
public sealed class AuditSpec
{
    [JsonPropertyName("schedule")]
    [Description("Cron schedule of the audit job, in the cluster's time zone. Defaults to hourly (0 * * * *).")]
    public string Schedule { get; set; } = "0 * * * *";

    [JsonPropertyName("suspend")]
    [Description("True stops scheduling new audit runs.")]
    public bool Suspend { get; set; }

    [JsonPropertyName("signingKeySecret")]
    [Description("Secret key holding the audit's ECDSA P-256 private key (PEM), which signs and verifies checkpoints. Keep it out of the database's reach. Without it, runs neither verify nor sign checkpoints.")]
    public SecretKeyReference? SigningKeySecret { get; set; }

    [JsonPropertyName("anchorClaim")]
    [MinLength(1)]
    [Description("A PersistentVolumeClaim, in the LedgerCluster's namespace, for the anchor file: the latest signed checkpoint kept outside the database, so a rewrite that also deletes the database's checkpoints is still caught. Use storage the database's administrators cannot write. Needs signingKeySecret.")]
    public string? AnchorClaim { get; set; }
}
