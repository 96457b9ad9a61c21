namespace Payments.Settlement.Rails.Sandbox;

/// <summary>The sandbox rail's behaviour, chosen per payout by the first matching rule.</summary>
public sealed class SandboxRailOptions
{
    /// <summary>Latency of every answer unless a rule says otherwise, in milliseconds.</summary>
    public int LatencyMs { get; init; } = 20;

    /// <summary>Rules in order; a payout no rule matches is paid.</summary>
    public List<SandboxRule> Rules { get; init; } = [];

    /// <summary>The rule for <paramref name="payout"/>: the first that matches, or plain paying.</summary>
    public SandboxRule RuleFor(RailPayout payout) => Rules.FirstOrDefault(r => r.Matches(payout)) ?? new SandboxRule();
}

/// <summary>One rule: which payouts it matches (every condition given must hold) and what the rail does.</summary>
public sealed class SandboxRule
{
    /// <summary>Matches beneficiaries starting with this text, ignoring case.</summary>
    public string? BeneficiaryPrefix { get; init; }

    /// <summary>Matches exactly this amount in minor units.</summary>
    public long? AmountMinor { get; init; }

    /// <summary>What the rail does.</summary>
    public SandboxBehaviour Behaviour { get; init; }

    /// <summary>This rule's answer latency in milliseconds; the rail's default when absent.</summary>
    public int? LatencyMs { get; init; }

    /// <summary>For <see cref="SandboxBehaviour.Flaky"/>: how many calls fail before the rail pays.</summary>
    public int FailuresBeforeSuccess { get; init; } = 2;

    /// <summary>True when every condition this rule sets holds for <paramref name="payout"/>.</summary>
    public bool Matches(RailPayout payout) =>
        (BeneficiaryPrefix is null || payout.Beneficiary.StartsWith(BeneficiaryPrefix, StringComparison.OrdinalIgnoreCase))
        && (AmountMinor is null || payout.AmountMinor == AmountMinor);
}
