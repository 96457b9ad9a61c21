namespace Payments.Audit.Checks;

/// <summary>One offending row: where it is (a sequence, an account, an intent) and what is wrong with it.</summary>
public sealed record Finding(string Where, string Problem);
