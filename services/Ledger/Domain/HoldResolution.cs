namespace Payments.Ledger.Domain;

/// <summary>What became of a hold.</summary>
public enum HoldResolution
{
    /// <summary>Still reserving its funds.</summary>
    Open,

    /// <summary>Posted (captured), fully or partially.</summary>
    Posted,

    /// <summary>Voided on request.</summary>
    Voided,

    /// <summary>Released because its timeout passed.</summary>
    Expired,
}
