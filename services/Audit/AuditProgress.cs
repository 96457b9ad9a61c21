namespace Payments.Audit;

/// <summary>How far a run has got: the stage, and transfers scanned out of the head sequence.</summary>
public sealed record AuditProgress(string Stage, long TransfersScanned, long TransfersTotal);
